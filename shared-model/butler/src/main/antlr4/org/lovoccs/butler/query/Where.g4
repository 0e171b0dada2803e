// The butler's where language (placeholder rule set; the full grammar is issue 4's work in progress).
grammar Where;

expression : EOF ;

WS : [ \t\r\n]+ -> skip ;
