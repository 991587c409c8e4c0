/*
 * id: identifier generation and shape check (see id.h).
 */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "id.h"

/*
 * Write a fresh id and its NUL into out.  sodium_init() must have run.
 */
void
id_new(char out[ID_LEN + 1])
{
	unsigned char	 raw[12];
	uint32_t	 t = (uint32_t)time(NULL);

	raw[0] = (unsigned char)(t >> 24);
	raw[1] = (unsigned char)(t >> 16);
	raw[2] = (unsigned char)(t >> 8);
	raw[3] = (unsigned char)t;
	randombytes_buf(raw + 4, 8);
	sodium_bin2hex(out, ID_LEN + 1, raw, sizeof(raw));
}

/*
 * True if s is exactly 24 lowercase hex characters.
 */
bool
id_valid(const char *s)
{
	size_t	 i;

	for (i = 0; i < ID_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[ID_LEN] == '\0';
}

/*
 * True if s is a name: 1..ID_NAME_MAX ASCII letters, digits, '_' or '-'
 * (^[A-Za-z0-9_-]{1,64}$), whatever the locale.
 */
bool
id_name_ok(const char *s)
{
	size_t	 n = strlen(s), i;

	if (n == 0 || n > ID_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}
