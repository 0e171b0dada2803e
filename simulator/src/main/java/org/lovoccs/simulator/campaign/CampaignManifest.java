package org.lovoccs.simulator.campaign;

import java.util.List;

/**
 * What a campaign wrote.
 *
 * @param spec    the campaign
 * @param files   every file, in the order written
 * @param seconds wall time
 */
public record CampaignManifest(CampaignSpec spec, List<WrittenFile> files, double seconds) {

    public CampaignManifest {
        files = List.copyOf(files);
    }

    public long totalBytes() {
        return files.stream().mapToLong(WrittenFile::bytes).sum();
    }

    /** The files of one kind. */
    public List<WrittenFile> files(WrittenFile.Kind kind) {
        return files.stream().filter(f -> f.kind() == kind).toList();
    }
}
