package org.lovoccs.registry.butler;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The collections of the registry, read in one go (they are few): their types, documentation and chains; the
 * search path a list of collections expands to.
 */
final class Collections {

    /** A collection as the API shows it. */
    record Info(String name, CollectionType type, String doc, List<String> children) {
    }

    /** A collection at its place in a search path. */
    record Leaf(String name, CollectionType type, int rank) {
    }

    private final Map<String, CollectionType> types = new TreeMap<>();
    private final Map<String, String> docs = new TreeMap<>();
    private final Map<String, List<String>> chains = new TreeMap<>();

    static Collections load(Connection c) throws SQLException {
        Collections all = new Collections();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type, doc FROM collection");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.types.put(rs.getString(1), CollectionType.valueOf(rs.getString(2)));
                all.docs.put(rs.getString(1), rs.getString(3));
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT parent, child FROM collection_chain ORDER BY parent, position");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                all.chains.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return all;
    }

    CollectionType type(String name) {
        return types.get(name);
    }

    Info info(String name) {
        return new Info(name, types.get(name), docs.get(name), chains.getOrDefault(name, List.of()));
    }

    /** Names matching {@code glob} (all when null), of the given types (all when empty), sorted. */
    List<Info> query(String glob, Set<CollectionType> ofTypes) {
        var pattern = glob == null || glob.isBlank() ? null : Globs.compile(glob);
        List<Info> out = new ArrayList<>();
        for (var e : types.entrySet()) {
            if ((pattern == null || pattern.matcher(e.getKey()).matches())
                    && (ofTypes.isEmpty() || ofTypes.contains(e.getValue()))) {
                out.add(info(e.getKey()));
            }
        }
        return out;
    }

    /**
     * The collections to search, in order: each CHAINED collection replaced by its children, depth first; a
     * collection reached twice is searched at its first place only. Globs are expanded in name order.
     *
     * @throws ButlerException 404 naming the unknown collection and the closest known ones
     */
    List<Leaf> resolve(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ButlerException.badRequest("--collections is required: name the collections to search (e.g."
                    + " DECam/raw/all); './lovoccs butler query-collections' lists them");
        }
        Map<String, Leaf> leaves = new LinkedHashMap<>();
        for (String r : requested) {
            if (Globs.isGlob(r)) {
                var p = Globs.compile(r);
                for (String name : types.keySet()) {
                    if (p.matcher(name).matches()) {
                        expand(name, leaves, new HashSet<>());
                    }
                }
            } else {
                requireExists(r);
                expand(r, leaves, new HashSet<>());
            }
        }
        return new ArrayList<>(leaves.values());
    }

    void requireExists(String name) {
        if (!types.containsKey(name)) {
            throw ButlerException.notFound("no collection '" + name + "'" + closest(name));
        }
    }

    private void expand(String name, Map<String, Leaf> leaves, Set<String> path) {
        CollectionType t = types.get(name);
        if (t == CollectionType.CHAINED) {
            if (!path.add(name)) {
                throw new ButlerException(500, "collection chain cycle through '" + name + "'");
            }
            for (String child : chains.getOrDefault(name, List.of())) {
                expand(child, leaves, path);
            }
            path.remove(name);
        } else if (!leaves.containsKey(name)) {
            leaves.put(name, new Leaf(name, t, leaves.size()));
        }
    }

    /** Whether {@code target} is reachable from {@code from} through chains (or is it). */
    boolean reaches(String from, String target) {
        if (from.equals(target)) {
            return true;
        }
        for (String child : chains.getOrDefault(from, List.of())) {
            if (reaches(child, target)) {
                return true;
            }
        }
        return false;
    }

    List<String> children(String parent) {
        return chains.getOrDefault(parent, List.of());
    }

    Set<String> names() {
        return types.keySet();
    }

    /** "; did you mean X, Y?" for names sharing the longest prefix or within a small edit distance. */
    String closest(String name) {
        List<String> best = new ArrayList<>();
        int bestScore = Integer.MAX_VALUE;
        for (String n : types.keySet()) {
            int d = org.lovoccs.butler.Suggestions.distance(name, n);
            if (d < bestScore) {
                best.clear();
                bestScore = d;
            }
            if (d == bestScore && best.size() < 3) {
                best.add(n);
            }
        }
        if (best.isEmpty()) {
            return "; there are no collections yet";
        }
        return "; did you mean " + String.join(", ", best) + "? ('./lovoccs butler query-collections' lists all "
                + types.size() + ")";
    }
}
