from safetrail.cli import main

main()
