"""Petitions (信访) under the 2022 信访工作条例. So far only the statutory clock (``statutory``);
the app (records, notices, review chain, reception days) is still to be built."""
