#!/usr/bin/env node
// Placeholder entry so `bin` resolves; the offline engine's CLI replaces this file.
process.stderr.write("flowlogs: not built yet\n");
process.exit(1);
