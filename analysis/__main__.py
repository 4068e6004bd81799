from analysis.cli import console

console()  # as the installed ``framing`` command: analysis.parallel.roomy_heap, then the command
