from analysis.cli import main
from analysis.parallel import roomy_heap

roomy_heap()  # the command's process only (speed: analysis.parallel.roomy_heap)
raise SystemExit(main())
