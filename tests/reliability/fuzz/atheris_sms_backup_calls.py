"""atheris target for the sms_backup_calls importer; see atheris_common.py for how to run it."""

from tests.reliability.fuzz.atheris_common import main

if __name__ == "__main__":
    main("sms_backup_calls")
