module example.com/vettest

go 1.25.0

require github.com/errcat/errcat v0.0.0

replace github.com/errcat/errcat => ../..
