"""The families' kit: shared helpers, one module per concept.

- :mod:`.records`: ids reserved for later arrivals, and the rows the agent made;
- :mod:`.arrivals`: records that land in a service when the virtual clock passes their time;
- :mod:`.deadlines`: when a proactive trigger arrives and when its task is judged;
- :mod:`.checks`: readers of the final world and the audit log (mail sent, payments, parties reached,
  reminders);
- :mod:`.phone_flows`: phone steps for oracles, and the phone's device-only state for checkers;
- :mod:`.laptop_files`: laptop shell steps, files written, config files the person's tools read;
- :mod:`.notation`: values as people write them (phone numbers, clock times, days, templates);
- :mod:`.syncd`: the broken backup agent that config-fix and backup-alert share.
- :mod:`.customers`: the company's customer accounts that the CRM and helpdesk families draw from.
- :mod:`.oblique`: a deciding word from someone whose say is written, naming the matter only by its date,
  ordinal or the time it came in, among their same-shaped lines about other matters.

Families import these modules, never each other: what two families share lives here.
"""
