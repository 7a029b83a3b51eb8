/* kinds.h — private to store/: the SQL of each record kind, generated from one field list. */
#ifndef CASEFILE_KINDS_H
#define CASEFILE_KINDS_H

#include "store/store.h"

struct kind_sql {
	const char *create;     /* CREATE TABLE */
	const char *insert;     /* id, sort_key, then every field, in order */
	const char *select_one; /* by id: id, deleted, conflicted, fields... */
	const char *list;       /* ?1 after_key, ?2 after_id, ?3 limit, ?4 include_deleted */
	const char *list_back;  /* the same, backwards from (?1, ?2) */
	const char *set_sort;   /* ?1 sort_key, ?2 id */
	const char *set_deleted;/* ?1 deleted, ?2 id */
	const char *set_conflicted; /* ?1 text, ?2 id */
	const char *delete_row; /* ?1 id: a record whose create was taken out (rejudge.c) */
	const char *count;
	const char *resolve;  /* ?1 prefix, ?2 prefix upper bound */
	const char *scan;     /* every row by id: id, deleted, conflicted, fields..., sort_key */
	const char *drop_order; /* the order index, dropped from a scratch copy read by id only */
	const char *const *update; /* one per field: ?1 value, ?2 id */
};

const struct kind_sql *kind_sql(enum cf_kind kind);
/* The sort key of R for keyset pagination (malloc'd). */
char *kind_sort_key(const struct cf_record *r, const char *tz);

#endif
