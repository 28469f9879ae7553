"""Bad-input corpus: malformed survey and table files of the kinds people really send.

Every file is built in memory when a test asks for it (`corpus.SURVEY_CASES`,
`corpus.AGGREGATE_CASES`), so nothing big is committed and nothing is built at import. The
rows are fictitious; SPSS files are written only into the calling test's ``tmp_path``.
"""
