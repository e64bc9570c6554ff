from csrpractice.cli import main

raise SystemExit(main())
