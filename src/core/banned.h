/*
 * banned.h - functions customs never calls (after git's banned.h).
 *
 * Each is either unbounded (strcpy, strcat, sprintf), keeps hidden state
 * (strtok, gmtime, localtime) or hides errors (atoi). Use the bounded or
 * reentrant versions: snprintf, cs_buf, strtoll with an end check,
 * gmtime_r, localtime_r.
 */
#ifndef CS_BANNED_H
#define CS_BANNED_H

#define CS_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) CS_BANNED(strcpy)
#undef strcat
#define strcat(x, y) CS_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) CS_BANNED(strncpy)
#undef sprintf
#define sprintf(...) CS_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CS_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) CS_BANNED(strtok)
#undef atoi
#define atoi(x) CS_BANNED(atoi)
#undef atol
#define atol(x) CS_BANNED(atol)
#undef gmtime
#define gmtime(t) CS_BANNED(gmtime)
#undef localtime
#define localtime(t) CS_BANNED(localtime)

#endif
