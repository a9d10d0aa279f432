"""Petitions (信访) under the 2022 信访工作条例: the petition record, its statutory clock
(``statutory``), written notices, review and re-examination, leader reception days and
leaders in personal charge."""
