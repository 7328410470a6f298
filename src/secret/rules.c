/*
 * rules.c - the built-in rule table (from rules.def), the built-in allow
 * rules, and severity names.
 *
 * The regex fragments below are shared by many rules; each is written once
 * so that the same separator or PEM layout means the same thing everywhere.
 */
#include "core/compat.h"
#include "secret/rules.h"

#include <strings.h>

/* An assignment after a key name: the key's closing quote, a separator
 * (=, :, =>, :=), the value's opening quote, each optional. */
#define ASSIGN "[\"']?[ \\t]*(?:=>|:=|[:=])[ \\t]*[\"']?"
/* The same, or whitespace alone (ENV KEY value, --flag value). */
#define ASSIGN_SP "[\"']?(?:[ \\t]*(?:=>|:=|[:=])[ \\t]*|[ \\t]+)[\"']?"
/* An assignment whose value must be quoted. */
#define ASSIGN_Q "[\"']?[ \\t]*(?:=>|:=|[:=])[ \\t]*[\"']"
/* End of a token whose alphabet includes '-' and '_' (\b would stop at '-'). */
#define TEND "(?:[^A-Za-z0-9_-]|$)"

/* Between a PEM header and its body: newlines, escaped newlines (\n in
 * JSON or source code), quotes and concatenation ("..." + "..."). */
#define PEM_SEP "(?:\\\\{1,2}[rn]|[\\r\\n \\t\"'+,])*"
/* RFC 1421 style headers (Proc-Type, DEK-Info) and armor headers (Version, Comment). */
#define PEM_HDRS "(?:[A-Za-z][A-Za-z0-9-]*:[^\\r\\n\\\\]*(?:\\\\{1,2}[rn]|[\\r\\n \\t\"'+,])+)*"
/* The secret: the first base64 run of the body, long enough to be key material. */
#define PEM_BODY "([A-Za-z0-9+/]{32,}={0,2})"
#define PEM(label) "-----BEGIN " label "-----" PEM_SEP PEM_HDRS PEM_BODY

/* user:password@host after a scheme; the password is group 1. */
#define URL_AUTH "://[^\\s:@/\"'<>]{1,64}:([^\\s@/\"'<>\\\\]{1,128})@[A-Za-z0-9._-]+"

/* Key names of generic assignments: case-insensitive, then either the end
 * of the name, a separator and more name (DB_PASSWORD_FILE), or a capital
 * (secretKey); "passwords" or "tokenizer" are other words. */
#define PW_KEYS "(?i:password|passwd|passphrase|pwd)"
#define SECRET_KEYS                                                                                   \
	"(?i:secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|client[_.-]?" \
	"secret|credentials?|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key)"
#define KEY_END "(?:[_.-][\\w.-]{0,24}|[A-Z][\\w.-]{0,24})?"

#define BIN CS_SR_BIN
#define GEN CS_SR_GENERIC
#define PW CS_SR_PASSWORD
#define BARE CS_SR_BARE
#define KEY CS_SR_KEYED

const cs_secret_rule cs_secret_builtin_rules[] = {
#define CS_SECRET_RULE(id_, cat_, sev_, flags_, kw_, ent_, group_, path_, allow_, re_, title_) \
	{                                                                                      \
		.id = id_,                                                                     \
		.category = cat_,                                                              \
		.title = title_,                                                               \
		.severity = CS_SECRET_##sev_,                                                  \
		.flags = flags_,                                                               \
		.keywords = kw_,                                                               \
		.regex = re_,                                                                  \
		.group = group_,                                                               \
		.entropy = ent_,                                                               \
		.path = path_,                                                                 \
		.allow_value = allow_,                                                         \
	},
#include "secret/rules.def"
#undef CS_SECRET_RULE
};

const size_t cs_secret_builtin_count = CS_ARRAY_LEN(cs_secret_builtin_rules);

/*
 * Directories where third-party code lives in an image: language package
 * trees, toolchain sources, vendored copies. Their tests, examples and
 * documentation carry sample keys and tokens by the thousand; an
 * application's own tests/ or docs/ are NOT in this list and are still
 * scanned.
 */
#define THIRD_PARTY                                                                                      \
	"(?:^|/)(?:site-packages|dist-packages|node_modules|bower_components|vendor|_vendor|vendored|"     \
	"third[_-]party|gems|pkg/mod|usr/(?:local/)?lib/python[23][^/]*|usr/lib/ruby|usr/share/perl5?|"   \
	"usr/lib/[a-z0-9_]+-linux-gnu/perl5?|usr/(?:local/)?lib/go[^/]*/src|usr/local/go/src|"          \
	"usr/share/go[^/]*/src|usr/share/gocode|usr/share/fpcsrc|usr/share/vim|usr/include|go/src)/"

/* Source code, where an unquoted right-hand side is an expression, not a value. */
#define CODE_FILE                                                                                      \
	"\\.(?:py|pyi|pyx|pxd|go|c|h|cc|cpp|cxx|hpp|hh|hxx|java|kt|kts|scala|groovy|js|mjs|cjs|jsx|ts|" \
	"tsx|rb|rbs|php|pl|pm|pod|pas|pp|inc|lpr|dpr|vim|lua|rs|swift|m|mm|cs|vb|fs|r|jl|ex|exs|erl|hrl|" \
	"el|lisp|clj|cljs|hs|ml|dart|tcl|awk|ps1|psm1)$"

const cs_secret_allow cs_secret_builtin_allows[] = {
	{"docs", "package documentation (/usr/share/doc, man, info)",
	 "(?:^|/)usr/(?:local/)?share/(?:doc|man|info|gtk-doc|help|devhelp)/", NULL, 0},
	{"tests", "test suites and fixtures inside third-party package trees",
	 THIRD_PARTY "(?:.+/)?(?:tests?|testing|testdata|test_data|testcases|__tests__|fixtures?|spec|t|"
	 "dummyserver)/|" THIRD_PARTY "(?:.+/)?(?:test_[^/]*\\.py|[^/]*_test\\.go)$", NULL, 0},
	{"examples", "examples and samples inside third-party package trees",
	 THIRD_PARTY "(?:.+/)?(?:examples?|samples?|demos?)/", NULL, 0},
	{"vendored-docs", "documentation files inside third-party package trees",
	 THIRD_PARTY ".+(?:\\.(?:md|markdown|rst|adoc|txt|html?)|/(?:PKG-INFO|METADATA|DESCRIPTION\\.rst))$", NULL, 0},
	{"system-libraries", "shared and static libraries of the system (self-test vectors)",
	 "^(?:usr/)?lib(?:32|64|x32)?/(?:[a-z0-9_]+-linux-[a-z0-9_]+/)?lib[^/]*\\.(?:so(?:\\.[0-9]+)*|a)$", NULL, 0},
	{"vendored-generic", "generic assignment rules inside third-party package trees",
	 THIRD_PARTY, NULL, CS_SR_GENERIC},
	{"code", "unquoted assignment rules in source code files", CODE_FILE, NULL, CS_SR_BARE},
	/* The example credentials of RFC 6749 (OAuth 2.0), copied into every
	 * OAuth library: client s6BhdRkqt3:gX1fBat3bV, its tokens and code. */
	{"rfc-examples", "example values printed in the OAuth 2.0 specification", NULL,
	 "^(?:czZCaGRSa3F0MzpnWDFmQmF0M2JW|2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA|"
	 "SplxlOBeZQQYbYS6WxSbIA|gX1fBat3bV|mF_9\\.B5f-4\\.1JqM|8xLOxBtZp8)$", 0},
};

const size_t cs_secret_builtin_allow_count = CS_ARRAY_LEN(cs_secret_builtin_allows);

static const char *const severity_names[] = {"unknown", "low", "medium", "high", "critical"};

const char *cs_secret_severity_name(cs_secret_severity s)
{
	return (unsigned)s < CS_ARRAY_LEN(severity_names) ? severity_names[s] : "unknown";
}

bool cs_secret_severity_parse(const char *s, cs_secret_severity *out)
{
	size_t i;

	for (i = 0; s && i < CS_ARRAY_LEN(severity_names); i++) {
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (cs_secret_severity)i;
			return true;
		}
	}
	return false;
}

const cs_secret_rule *cs_secret_builtin_find(const char *id)
{
	size_t i;

	for (i = 0; id && i < cs_secret_builtin_count; i++)
		if (strcmp(cs_secret_builtin_rules[i].id, id) == 0)
			return &cs_secret_builtin_rules[i];
	return NULL;
}
