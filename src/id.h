/*
 * id: entity identifiers, 24 lowercase hex characters (4 bytes of Unix
 * time, 8 random bytes from libsodium), the original system's shape.
 */
#ifndef SECOND_ID_H
#define SECOND_ID_H

#include <stdbool.h>

#define ID_LEN	24

void	 id_new(char out[ID_LEN + 1]);
bool	 id_valid(const char *);

#endif
