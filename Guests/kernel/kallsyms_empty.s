	.data
	.align 8
	.global kallsyms_count
kallsyms_count:	data8 0
	.global kallsyms_table
kallsyms_table:
