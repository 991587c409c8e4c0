/*
 * audit: append-only governance events, written in the same transaction
 * as the change they record.
 */
#ifndef SECOND_AUDIT_H
#define SECOND_AUDIT_H

#include "db.h"
#include "err.h"
#include "event.h"
#include "id.h"

struct rctx;

/* An event queued into a batch; keeps the id alive with the batch. */
struct audit_ev {
	char	 ae_id[ID_LEN + 1];
};

void	 audit_queue(struct rctx *, struct audit_ev *, struct dbb *,
	    enum event, const char *outcome, const char *target_type,
	    const char *target_id, const char *metadata_json);
enum err audit_write_alone(struct rctx *, enum event,
	    const char *outcome, const char *target_type,
	    const char *target_id);

#endif
