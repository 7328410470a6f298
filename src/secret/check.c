/*
 * check.c - entropy, placeholder and shape checks on a candidate secret.
 *
 * These decide, after a rule's regex matched, whether the captured value
 * is worth a finding. Token rules (a distinctive prefix) only get the
 * placeholder check and their entropy floor; generic assignment rules
 * ("password = ...") also get the shape check, since there the regex says
 * little and the value must say the rest.
 */
#include "core/compat.h"
#include "secret/check.h"
#include "secret/rules.h"

#include <math.h>
#include <strings.h>

double cs_secret_entropy(const char *s, size_t n)
{
	unsigned counts[256] = {0};
	double h = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		counts[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		if (counts[i]) {
			double p = (double)counts[i] / (double)n;
			h -= p * log2(p);
		}
	}
	return h;
}

/* Case-insensitive search for an ASCII needle in [s, s + n). */
static bool contains_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	if (m == 0 || m > n)
		return m == 0;
	for (i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, needle, m) == 0)
			return true;
	return false;
}

static bool contains(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle)) != NULL;
}

static bool equals_ci(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

bool cs_secret_is_placeholder(const char *s, size_t n)
{
	static const char *const templates[] = {"${", "{{", "}}", "<%", "%>", "$(", "#{"};
	size_t i, run = 1;

	if (contains_ci(s, n, "example"))
		return true;
	for (i = 0; i < CS_ARRAY_LEN(templates); i++)
		if (contains(s, n, templates[i]))
			return true;
	for (i = 1; i < n; i++) {
		run = s[i] == s[i - 1] ? run + 1 : 1;
		if (run >= 5 && strchr("xX*#.", s[i]))
			return true;
	}
	return false;
}

/* Whole values that are placeholders or defaults, never secrets (compared without case). */
static const char *const placeholder_words[] = {
	"password", "passwd", "pass", "passphrase", "secret", "token", "apikey", "api_key", "key",
	"changeme", "changeit", "default", "none", "null", "nil", "undefined", "empty", "true", "false",
	"yes", "no", "test", "testing", "tests", "demo", "dummy", "sample", "admin", "administrator",
	"root", "guest", "user", "username", "login", "postgres", "mysql", "redis", "rabbitmq", "oracle",
	"foo", "bar", "foobar", "baz", "qwerty", "letmein", "abc123", "123456", "12345678", "123456789",
	"1234567890", "password1", "password123", "passw0rd", "p@ssw0rd", "hunter2", "secret123",
	"mypassword", "mysecret", "s3cr3t", "required", "optional", "string", "value", "hidden",
	"masked", "unset", "notset", "not_set", "todo", "tbd", "fixme", "sekret", "pa55word",
};

/* Parts that mark a value as a placeholder wherever they appear. */
static const char *const placeholder_parts[] = {
	"changeme", "change_me", "change-me", "changeit", "change_it", "placeholder", "your_", "your-",
	"yourpass", "yoursecret", "yourtoken", "yourkey", "yourapikey", "replace_", "replace-", "replaceme",
	"redacted", "dummy", "sample", "notreal", "not_real", "not-real", "fake", "insert_", "insert-",
	"enter_", "enter-", "put_your", "put-your", "todo", "fixme", "<", ">",
};

/* name(.name)+ with identifier names: a reference, not a literal. */
static bool is_dotted_name(const char *s, size_t n)
{
	size_t i;
	bool dot = false, start = true;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (start)
				return false;
			dot = true;
			start = true;
		} else if (c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			   (!start && c >= '0' && c <= '9')) {
			start = false;
		} else {
			return false;
		}
	}
	return dot && !start;
}

bool cs_secret_generic_ok(const char *s, size_t n, unsigned flags)
{
	bool password = (flags & CS_SR_PASSWORD) != 0;
	bool lower = false, upper = false, digit = false, other = false;
	size_t i, spaces = 0, classes;

	if (n == 0 || strchr("$%<[({`", s[0]))
		return false; /* a variable, a format, a tag, code */
	if (contains(s, n, "%s") || contains(s, n, "%(") || (memchr(s, '(', n) && memchr(s, ')', n)))
		return false;
	if ((flags & CS_SR_BARE) && (memchr(s, '(', n) || memchr(s, ')', n) || memchr(s, '[', n) ||
				     memchr(s, ']', n) || memchr(s, '{', n) || memchr(s, '}', n) ||
				     memchr(s, '\\', n) || memchr(s, ',', n) || memchr(s, ';', n)))
		return false; /* an unquoted expression: a call, an index, a list */
	if (contains(s, n, "://"))
		return false; /* a URL: where a secret is, not the secret */
	if (s[0] == '/' || (n > 1 && s[0] == '~' && s[1] == '/') || (n > 1 && s[0] == '.' && (s[1] == '/' || s[1] == '.')))
		return false; /* a path */
	if (is_dotted_name(s, n))
		return false;
	for (i = 0; i < CS_ARRAY_LEN(placeholder_words); i++)
		if (equals_ci(s, n, placeholder_words[i]))
			return false;
	for (i = 0; i < CS_ARRAY_LEN(placeholder_parts); i++)
		if (contains_ci(s, n, placeholder_parts[i]))
			return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'a' && c <= 'z')
			lower = true;
		else if (c >= 'A' && c <= 'Z')
			upper = true;
		else if (c >= '0' && c <= '9')
			digit = true;
		else if (c == ' ' || c == '\t')
			spaces++;
		else if (!strchr("_-.", c)) /* word separators say nothing about a secret */
			other = true;
	}
	classes = (size_t)lower + upper + digit + other;
	if (password)
		return n >= 6 && spaces < 2 && classes >= 2;
	return n >= 12 && spaces == 0 && classes >= 2 && (digit || n >= 32);
}

/* Words in a key name that say the value is not a secret (compared without case). */
static const char *const non_secret_key_parts[] = {
	"hash", "digest", "checksum", "sha1", "sha256", "sha512", "md5", "fingerprint", "public", "pubkey",
	"name", "type", "url", "uri", "path", "file", "dir", "endpoint", "host", "length", "size", "version",
	"format", "secretref", "keyref", "tokenref", "_ref", "-ref", ".ref", "header", "prefix", "expir",
	"count", "algorithm", "_encryption", "-id", ".id", "example", "sample", "dummy", "fake", "mock",
	"placeholder",
};

bool cs_secret_generic_key_ok(const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(non_secret_key_parts); i++)
		if (contains_ci(key, n, non_secret_key_parts[i]))
			return false;
	return true;
}

size_t cs_secret_redact_keep(size_t n)
{
	size_t k = n / 10;

	return k > 4 ? 4 : k;
}
