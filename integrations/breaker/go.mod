module github.com/errcat/errcat/integrations/breaker

go 1.25.0

require github.com/errcat/errcat v0.0.0

require github.com/sony/gobreaker/v2 v2.4.0

replace github.com/errcat/errcat => ../..
