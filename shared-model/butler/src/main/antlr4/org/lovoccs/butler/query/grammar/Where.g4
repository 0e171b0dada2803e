// The butler's where language, as LoVoCCS users know it from daf_butler:
//   instrument='DECam' AND band IN ('g', 'r') AND exposure.day_obs > 20221001
//   visit IN (1..100:2) AND NOT detector IN (2, 61)
//   exposure.timespan OVERLAPS (T'2022-10-01T00:00:00', T'2022-10-02T00:00:00')
//
// Precedence, loosest first: OR < AND < NOT < OVERLAPS / comparisons < (+, -) < (*, /, %) < unary -.
// Comparisons do not chain (a < b < c is a syntax error). Unlike daf_butler, NOT applies to a
// whole comparison (NOT a = 1 means NOT (a = 1)), which is what users read it as.
//
// This file lives in the subpackage "grammar" so that the generated WhereParser does not clash
// with the public org.lovoccs.butler.query.WhereParser.
grammar Where;

expression : orExpr EOF ;

orExpr  : andExpr (OR andExpr)* ;
andExpr : notExpr (AND notExpr)* ;

notExpr
    : NOT notExpr                                              # negation
    | predicate                                                # plainPredicate
    ;

// A value optionally followed by what makes it a condition. Written with a tail so that the
// parser decides after the first value (LL(1)) and reports mistakes where they are.
predicate : arith predicateTail? ;

predicateTail
    : OVERLAPS arith                                           # overlapsTail
    | compareOp arith                                          # comparisonTail
    | NOT? IN LPAREN inItem (COMMA inItem)* RPAREN             # inTail
    ;

compareOp : EQ | NE | LT | LE | GT | GE ;

inItem
    : MINUS? INT DOTDOT MINUS? INT (COLON INT)?                # rangeItem
    | arith                                                    # valueItem
    ;

arith
    : op=(PLUS | MINUS) arith                                  # unaryArith
    | arith op=(STAR | SLASH | PERCENT) arith                  # mulArith
    | arith op=(PLUS | MINUS) arith                            # addArith
    | primary                                                  # primaryArith
    ;

primary
    : LPAREN orExpr RPAREN                                     # parens
    | LPAREN arith COMMA arith RPAREN                          # timespanTuple
    | STRING                                                   # stringLiteral
    | INT                                                      # intLiteral
    | FLOAT                                                    # floatLiteral
    | TIME                                                     # timeLiteral
    | UUID LPAREN STRING RPAREN                                # uuidLiteral
    | BIND                                                     # bindReference
    | ID                                                       # identifier
    ;

// Keywords are case-insensitive and come before ID so that an exact keyword is never an identifier.
AND      : [aA] [nN] [dD] ;
OR       : [oO] [rR] ;
NOT      : [nN] [oO] [tT] ;
IN       : [iI] [nN] ;
OVERLAPS : [oO] [vV] [eE] [rR] [lL] [aA] [pP] [sS] ;
UUID     : [uU] [uU] [iI] [dD] ;

// T'...' time literal; its content is checked by the AST builder so errors point into it.
TIME     : [tT] '\'' ~['\r\n]* '\'' | [tT] '"' ~["\r\n]* '"' ;
// Strings in single or double quotes; a doubled quote inside stands for one quote character.
STRING   : '\'' ( ~['\r\n] | '\'\'' )* '\'' | '"' ( ~["\r\n] | '""' )* '"' ;

// A float needs digits after its point, so that 1..10 lexes as INT DOTDOT INT.
FLOAT    : DIGIT+ '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT | '.' DIGIT+ EXPONENT? ;
INT      : DIGIT+ ;

BIND     : ':' NAME ;
ID       : NAME ('.' NAME)* ;

DOTDOT   : '..' ;
COLON    : ':' ;
LPAREN   : '(' ;
RPAREN   : ')' ;
COMMA    : ',' ;
EQ       : '=' ;
NE       : '!=' | '<>' ;
LE       : '<=' ;
GE       : '>=' ;
LT       : '<' ;
GT       : '>' ;
PLUS     : '+' ;
MINUS    : '-' ;
STAR     : '*' ;
SLASH    : '/' ;
PERCENT  : '%' ;

WS       : [ \t\r\n]+ -> skip ;

fragment NAME     : [a-zA-Z_] [a-zA-Z0-9_]* ;
fragment DIGIT    : [0-9] ;
fragment EXPONENT : [eE] [+-]? DIGIT+ ;
