complete --keep-order --exclusive --command knit --arguments "(COMPLETE=fish knit -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
