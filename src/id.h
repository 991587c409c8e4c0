/*
 * id: entity identifiers, 24 lowercase hex characters (4 bytes of Unix
 * time, 8 random bytes from libsodium), the original system's shape; and
 * the one shape of a name a client gives to things (a data collection, a
 * tool, an OAuth provider key): ^[A-Za-z0-9_-]{1,ID_NAME_MAX}$.
 */
#ifndef SECOND_ID_H
#define SECOND_ID_H

#include <stdbool.h>

#define ID_LEN		24
#define ID_NAME_MAX	64	/* bytes of a name (id_name_ok) */

void	 id_new(char out[ID_LEN + 1]);
bool	 id_valid(const char *);
bool	 id_name_ok(const char *);

#endif
