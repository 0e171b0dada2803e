package org.lovoccs.butler.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.lovoccs.butler.query.Expression.And;
import org.lovoccs.butler.query.Expression.Arithmetic;
import org.lovoccs.butler.query.Expression.ArithmeticOp;
import org.lovoccs.butler.query.Expression.BindRef;
import org.lovoccs.butler.query.Expression.CompareOp;
import org.lovoccs.butler.query.Expression.Comparison;
import org.lovoccs.butler.query.Expression.Identifier;
import org.lovoccs.butler.query.Expression.InList;
import org.lovoccs.butler.query.Expression.Negate;
import org.lovoccs.butler.query.Expression.Not;
import org.lovoccs.butler.query.Expression.NumberLit;
import org.lovoccs.butler.query.Expression.Or;
import org.lovoccs.butler.query.Expression.Overlaps;
import org.lovoccs.butler.query.Expression.StringLit;
import org.lovoccs.butler.query.Expression.TimeLit;
import org.lovoccs.butler.query.Expression.TimespanLit;
import org.lovoccs.butler.query.Expression.UuidLit;
import org.lovoccs.butler.query.grammar.WhereBaseVisitor;
import org.lovoccs.butler.query.grammar.WhereLexer;
import org.lovoccs.butler.query.grammar.WhereParser.AddArithContext;
import org.lovoccs.butler.query.grammar.WhereParser.AndExprContext;
import org.lovoccs.butler.query.grammar.WhereParser.ArithContext;
import org.lovoccs.butler.query.grammar.WhereParser.BindReferenceContext;
import org.lovoccs.butler.query.grammar.WhereParser.ExpressionContext;
import org.lovoccs.butler.query.grammar.WhereParser.FloatLiteralContext;
import org.lovoccs.butler.query.grammar.WhereParser.IdentifierContext;
import org.lovoccs.butler.query.grammar.WhereParser.InItemContext;
import org.lovoccs.butler.query.grammar.WhereParser.IntLiteralContext;
import org.lovoccs.butler.query.grammar.WhereParser.MulArithContext;
import org.lovoccs.butler.query.grammar.WhereParser.NegationContext;
import org.lovoccs.butler.query.grammar.WhereParser.NotExprContext;
import org.lovoccs.butler.query.grammar.WhereParser.OrExprContext;
import org.lovoccs.butler.query.grammar.WhereParser.ParensContext;
import org.lovoccs.butler.query.grammar.WhereParser.PlainPredicateContext;
import org.lovoccs.butler.query.grammar.WhereParser.PredicateContext;
import org.lovoccs.butler.query.grammar.WhereParser.PredicateTailContext;
import org.lovoccs.butler.query.grammar.WhereParser.OverlapsTailContext;
import org.lovoccs.butler.query.grammar.WhereParser.ComparisonTailContext;
import org.lovoccs.butler.query.grammar.WhereParser.InTailContext;
import org.lovoccs.butler.query.grammar.WhereParser.PrimaryArithContext;
import org.lovoccs.butler.query.grammar.WhereParser.RangeItemContext;
import org.lovoccs.butler.query.grammar.WhereParser.StringLiteralContext;
import org.lovoccs.butler.query.grammar.WhereParser.TimeLiteralContext;
import org.lovoccs.butler.query.grammar.WhereParser.TimespanTupleContext;
import org.lovoccs.butler.query.grammar.WhereParser.UnaryArithContext;
import org.lovoccs.butler.query.grammar.WhereParser.UuidLiteralContext;
import org.lovoccs.butler.query.grammar.WhereParser.ValueItemContext;

/**
 * Parses the butler's where language into an {@link Expression} tree.
 *
 * <pre>{@code
 * Expression e = WhereParser.parse("instrument='DECam' AND exposure.day_obs > 20221001");
 * }</pre>
 *
 * <p>Syntax errors throw {@link WhereSyntaxException} quoting the expression with a caret under
 * the mistake and saying what was expected. Nothing is printed (ANTLR's console listeners are
 * removed). Parsing does not consult the dimension universe; names are checked by
 * {@link SqlTranslator}.
 */
public final class WhereParser {
    private WhereParser() {
    }

    /**
     * Parses one expression.
     *
     * @param text the expression, e.g. {@code band IN ('g', 'r') AND visit IN (1..100:2)}
     * @return the syntax tree
     * @throws WhereSyntaxException if the text is empty or not a valid expression
     */
    public static Expression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new WhereSyntaxException("syntax error: the expression is empty",
                    new Span(text == null ? "" : text, 0, 0));
        }
        WhereLexer lexer = new WhereLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(new ThrowingListener(text));
        org.lovoccs.butler.query.grammar.WhereParser parser =
                new org.lovoccs.butler.query.grammar.WhereParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(new ThrowingListener(text));
        ExpressionContext tree = parser.expression();
        return new AstBuilder(text).visit(tree.orExpr());
    }

    /** Turns ANTLR's first complaint into a WhereSyntaxException with a readable message. */
    private static final class ThrowingListener extends BaseErrorListener {
        private final String source;

        ThrowingListener(String source) {
            this.source = source;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                                String msg, RecognitionException e) {
            if (recognizer instanceof Lexer lexer) {
                int start = lexer._tokenStartCharIndex;
                char c = start < source.length() ? source.charAt(start) : ' ';
                String problem;
                if (c == '\'' || c == '"' || ((c == 'T' || c == 't') && start + 1 < source.length()
                        && (source.charAt(start + 1) == '\'' || source.charAt(start + 1) == '"'))) {
                    problem = "syntax error: unterminated " + (c == '\'' || c == '"' ? "string" : "time")
                            + " literal (a closing quote is missing)";
                } else {
                    problem = "syntax error: unexpected character '" + c + "'";
                }
                throw new WhereSyntaxException(problem, new Span(source, start, Math.min(start + 1, source.length())));
            }
            Token token = (Token) offendingSymbol;
            Parser parser = (Parser) recognizer;
            IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens()
                    : parser.getExpectedTokens();
            String found = token.getType() == Token.EOF ? "end of expression" : "'" + token.getText() + "'";
            String problem = "syntax error: unexpected " + found + "; expected " + describe(expected);
            int start = token.getType() == Token.EOF ? source.length() : token.getStartIndex();
            int stop = token.getType() == Token.EOF ? source.length() : token.getStopIndex() + 1;
            throw new WhereSyntaxException(problem, new Span(source, Math.min(start, source.length()),
                    Math.min(Math.max(stop, start), source.length())));
        }
    }

    /** A human description of the tokens the parser wanted. */
    static String describe(IntervalSet expected) {
        Set<String> words = new LinkedHashSet<>();
        boolean value = expected.contains(WhereLexer.ID) || expected.contains(WhereLexer.INT)
                || expected.contains(WhereLexer.STRING);
        if (value) {
            words.add("a value (name, 'string', number, T'time' or :bind)");
        }
        for (int type : expected.toArray()) {
            switch (type) {
                case WhereLexer.ID, WhereLexer.INT, WhereLexer.STRING, WhereLexer.FLOAT, WhereLexer.TIME,
                     WhereLexer.BIND, WhereLexer.UUID -> {
                    if (!value) {
                        words.add(tokenName(type));
                    }
                }
                case WhereLexer.PLUS, WhereLexer.MINUS -> {
                    if (!value) { // where a value may start, + and - are its sign, not an operator
                        words.add("an arithmetic operator");
                    }
                }
                case WhereLexer.STAR, WhereLexer.SLASH, WhereLexer.PERCENT -> words.add("an arithmetic operator");
                case WhereLexer.EQ, WhereLexer.NE, WhereLexer.LT, WhereLexer.LE, WhereLexer.GT, WhereLexer.GE ->
                    words.add("a comparison (= != < <= > >=)");
                default -> words.add(tokenName(type));
            }
        }
        List<String> list = new ArrayList<>(words);
        if (list.isEmpty()) {
            return "something else";
        }
        if (list.size() == 1) {
            return list.get(0);
        }
        return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
    }

    private static String tokenName(int type) {
        return switch (type) {
            case Token.EOF -> "end of expression";
            case WhereLexer.AND -> "AND";
            case WhereLexer.OR -> "OR";
            case WhereLexer.NOT -> "NOT";
            case WhereLexer.IN -> "IN";
            case WhereLexer.OVERLAPS -> "OVERLAPS";
            case WhereLexer.UUID -> "UUID('...')";
            case WhereLexer.TIME -> "a time literal T'...'";
            case WhereLexer.STRING -> "a string";
            case WhereLexer.FLOAT -> "a float";
            case WhereLexer.INT -> "an integer";
            case WhereLexer.BIND -> "a :bind";
            case WhereLexer.ID -> "a name";
            case WhereLexer.DOTDOT -> "'..'";
            case WhereLexer.COLON -> "':'";
            case WhereLexer.LPAREN -> "'('";
            case WhereLexer.RPAREN -> "')'";
            case WhereLexer.COMMA -> "','";
            default -> WhereLexer.VOCABULARY.getDisplayName(type);
        };
    }

    /** Builds the immutable tree from ANTLR's parse tree. */
    private static final class AstBuilder extends WhereBaseVisitor<Expression> {
        private final String source;

        AstBuilder(String source) {
            this.source = source;
        }

        private Span span(ParserRuleContext ctx) {
            int start = ctx.getStart().getStartIndex();
            int stop = ctx.getStop() == null ? start : ctx.getStop().getStopIndex() + 1;
            return new Span(source, start, Math.max(start, stop));
        }

        private Span span(Token token) {
            return new Span(source, token.getStartIndex(), token.getStopIndex() + 1);
        }

        @Override
        public Expression visitOrExpr(OrExprContext ctx) {
            List<Expression> operands = new ArrayList<>();
            for (AndExprContext a : ctx.andExpr()) {
                operands.add(visit(a));
            }
            return operands.size() == 1 ? operands.get(0) : new Or(operands, span(ctx));
        }

        @Override
        public Expression visitAndExpr(AndExprContext ctx) {
            List<Expression> operands = new ArrayList<>();
            for (NotExprContext n : ctx.notExpr()) {
                operands.add(visit(n));
            }
            return operands.size() == 1 ? operands.get(0) : new And(operands, span(ctx));
        }

        @Override
        public Expression visitNegation(NegationContext ctx) {
            return new Not(visit(ctx.notExpr()), span(ctx));
        }

        @Override
        public Expression visitPlainPredicate(PlainPredicateContext ctx) {
            return visit(ctx.predicate());
        }

        @Override
        public Expression visitPredicate(PredicateContext ctx) {
            Expression left = visit(ctx.arith());
            PredicateTailContext tail = ctx.predicateTail();
            if (tail == null) {
                return left;
            }
            Span span = span(ctx);
            if (tail instanceof OverlapsTailContext o) {
                return new Overlaps(left, visit(o.arith()), span);
            }
            if (tail instanceof ComparisonTailContext c) {
                CompareOp op = switch (c.compareOp().getStart().getType()) {
                    case WhereLexer.EQ -> CompareOp.EQ;
                    case WhereLexer.NE -> CompareOp.NE;
                    case WhereLexer.LT -> CompareOp.LT;
                    case WhereLexer.LE -> CompareOp.LE;
                    case WhereLexer.GT -> CompareOp.GT;
                    default -> CompareOp.GE;
                };
                return new Comparison(op, left, visit(c.arith()), span);
            }
            InTailContext in = (InTailContext) tail;
            List<InItem> items = new ArrayList<>();
            for (InItemContext item : in.inItem()) {
                if (item instanceof RangeItemContext r) {
                    items.add(range(r));
                } else {
                    items.add(visit(((ValueItemContext) item).arith()));
                }
            }
            return new InList(left, items, in.NOT() != null, span);
        }

        @Override
        public Expression visitTimespanTuple(TimespanTupleContext ctx) {
            return new TimespanLit(visit(ctx.arith(0)), visit(ctx.arith(1)), span(ctx));
        }

        private Range range(RangeItemContext ctx) {
            List<TerminalNode> ints = ctx.INT();
            // MINUS tokens: the one before '..' belongs to start, the one after to stop.
            int dotdot = ctx.DOTDOT().getSymbol().getTokenIndex();
            boolean startNegative = false;
            boolean stopNegative = false;
            for (TerminalNode minus : ctx.MINUS()) {
                if (minus.getSymbol().getTokenIndex() < dotdot) {
                    startNegative = true;
                } else {
                    stopNegative = true;
                }
            }
            long start = integer(ints.get(0).getSymbol(), startNegative);
            long stop = integer(ints.get(1).getSymbol(), stopNegative);
            long stride = 1;
            if (ints.size() > 2) {
                Token strideToken = ints.get(2).getSymbol();
                stride = integer(strideToken, false);
                if (stride < 1) {
                    throw new WhereSyntaxException("syntax error: a range stride must be at least 1", span(strideToken));
                }
            }
            if (stop < start) {
                throw new WhereSyntaxException("syntax error: range " + start + ".." + stop
                        + " is empty (its stop is less than its start)", span(ctx));
            }
            return new Range(start, stop, stride, span(ctx));
        }

        private long integer(Token token, boolean negative) {
            try {
                return Long.parseLong((negative ? "-" : "") + token.getText());
            } catch (NumberFormatException e) {
                throw new WhereSyntaxException("syntax error: integer " + token.getText() + " is too large", span(token));
            }
        }

        @Override
        public Expression visitUnaryArith(UnaryArithContext ctx) {
            Expression operand = visit(ctx.arith());
            if (ctx.op.getType() == WhereLexer.PLUS) {
                return operand;
            }
            if (operand instanceof NumberLit n) {
                Number negated = n.isInteger() ? (Number) (-n.value().longValue()) : (Number) (-n.value().doubleValue());
                return new NumberLit(negated, span(ctx));
            }
            return new Negate(operand, span(ctx));
        }

        @Override
        public Expression visitMulArith(MulArithContext ctx) {
            ArithmeticOp op = switch (ctx.op.getType()) {
                case WhereLexer.STAR -> ArithmeticOp.MUL;
                case WhereLexer.SLASH -> ArithmeticOp.DIV;
                default -> ArithmeticOp.MOD;
            };
            return new Arithmetic(op, visit(ctx.arith(0)), visit(ctx.arith(1)), span(ctx));
        }

        @Override
        public Expression visitAddArith(AddArithContext ctx) {
            ArithmeticOp op = ctx.op.getType() == WhereLexer.PLUS ? ArithmeticOp.ADD : ArithmeticOp.SUB;
            return new Arithmetic(op, visit(ctx.arith(0)), visit(ctx.arith(1)), span(ctx));
        }

        @Override
        public Expression visitPrimaryArith(PrimaryArithContext ctx) {
            return visit(ctx.primary());
        }

        @Override
        public Expression visitParens(ParensContext ctx) {
            return visit(ctx.orExpr());
        }

        @Override
        public Expression visitStringLiteral(StringLiteralContext ctx) {
            return new StringLit(unquote(ctx.STRING().getText()), span(ctx));
        }

        @Override
        public Expression visitIntLiteral(IntLiteralContext ctx) {
            return new NumberLit(integer(ctx.INT().getSymbol(), false), span(ctx));
        }

        @Override
        public Expression visitFloatLiteral(FloatLiteralContext ctx) {
            double v = Double.parseDouble(ctx.FLOAT().getText());
            if (Double.isInfinite(v)) {
                throw new WhereSyntaxException("syntax error: float " + ctx.getText() + " is too large", span(ctx));
            }
            return new NumberLit(v, span(ctx));
        }

        @Override
        public Expression visitTimeLiteral(TimeLiteralContext ctx) {
            String raw = ctx.TIME().getText();
            String inner = raw.substring(2, raw.length() - 1);
            try {
                return new TimeLit(inner, TimeLiterals.parse(inner), span(ctx));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new WhereSyntaxException("syntax error: bad time literal: " + e.getMessage(), span(ctx));
            }
        }

        @Override
        public Expression visitUuidLiteral(UuidLiteralContext ctx) {
            String text = unquote(ctx.STRING().getText());
            try {
                if (!text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                    throw new IllegalArgumentException();
                }
                return new UuidLit(java.util.UUID.fromString(text), span(ctx));
            } catch (IllegalArgumentException e) {
                throw new WhereSyntaxException("syntax error: '" + text + "' is not a UUID", span(ctx.STRING().getSymbol()));
            }
        }

        @Override
        public Expression visitBindReference(BindReferenceContext ctx) {
            return new BindRef(ctx.BIND().getText().substring(1), span(ctx));
        }

        @Override
        public Expression visitIdentifier(IdentifierContext ctx) {
            String[] parts = ctx.ID().getText().split("\\.");
            if (parts.length > 3) {
                throw new WhereSyntaxException("syntax error: '" + ctx.getText()
                        + "' has too many parts (at most dimension.field.column)", span(ctx));
            }
            return new Identifier(parts[0], parts.length > 1 ? parts[1] : null, parts.length > 2 ? parts[2] : null,
                    span(ctx));
        }

        private static String unquote(String quoted) {
            char q = quoted.charAt(0);
            String body = quoted.substring(1, quoted.length() - 1);
            return body.replace(String.valueOf(q) + q, String.valueOf(q));
        }
    }

    /** Kept so that the otherwise unused import of ArithContext documents the rule name. */
    @SuppressWarnings("unused")
    private static final Class<?> ARITH_RULE = ArithContext.class;
}
