/*
 * test_version_semver.c - the semver-like version schemes against their
 * reference implementations: semver (npm's `semver` package), cargo (the
 * Rust `semver` crate), go and gostd (golang.org/x/mod/semver as govulncheck
 * drives it), nuget (NuGet.Versioning).
 *
 * For each scheme:
 *  - <scheme>_cases: a table of hand-picked edge cases with the answer the
 *    reference gave for each (checked against it once by hand, and again by
 *    the reference test below for every row it can carry), and the
 *    reference's own published test vectors, transcribed as facts;
 *  - <scheme>_reference: 10,000 pairs from a fixed-seed generator aimed at
 *    the scheme's hard parts (shared prefixes, pre-releases, leading zeros,
 *    long numbers, numeric limits, whitespace, separators, prefixes, junk)
 *    plus the table's rows, written to a temporary file as "A\tB" lines and
 *    put through `tests/oracle/version.sh SCHEME` once; customs must give
 *    the reference's answer for every pair, E (the reference refuses a
 *    version) being CS_EFORMAT. A reference that cannot run fails the
 *    test, naming what to install.
 * Every answer is also checked for antisymmetry. semver_length_cap builds
 * the versions around npm's 256-character cap (also sent to the reference),
 * gostd_gover_vectors sets gostd against the go command's own order
 * (internal/gover's vectors, with the documented differences marked), and
 * long_inputs runs each comparator on megabyte versions.
 *
 * Run one with build/tests/test_version_semver NAME, e.g. nuget_reference;
 * the harness, and the variables that keep or vary the pairs, are in
 * vtest.h.
 */
#include "core/compat.h"
#include "match/version.h"

#include "unit/vtest.h"

extern const cs_version_scheme cs_version_semver, cs_version_cargo, cs_version_go, cs_version_gostd,
	cs_version_nuget;

#define GEN_PAIRS 10000 /* generated pairs per scheme */

/* ---- the hand-picked cases ------------------------------------------------ */

static const vcase semver_cases[] = {
	/* SemVer 2.0.0's own precedence example */
	{"1.0.0-alpha", "1.0.0-alpha.1", -1},
	{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
	{"1.0.0-alpha.beta", "1.0.0-beta", -1},
	{"1.0.0-beta", "1.0.0-beta.2", -1},
	{"1.0.0-beta.2", "1.0.0-beta.11", -1},
	{"1.0.0-beta.11", "1.0.0-rc.1", -1},
	{"1.0.0-rc.1", "1.0.0", -1},
	/* node-semver's test/fixtures/comparisons.js and equality.js */
	{"0.0.0", "0.0.0-foo", 1},
	{"0.0.1", "0.0.0", 1},
	{"1.0.0", "0.9.9", 1},
	{"0.10.0", "0.9.0", 1},
	{"0.99.0", "0.10.0", 1},
	{"2.0.0", "1.2.3", 1},
	{"v0.0.0", "0.0.0-foo", 1},
	{"1.2.3", "1.2.3-asdf", 1},
	{"1.2.3", "1.2.3-4", 1},
	{"1.2.3", "1.2.3-4-foo", 1},
	{"1.2.3-5-foo", "1.2.3-5", 1},
	{"1.2.3-5", "1.2.3-4", 1},
	{"1.2.3-5-foo", "1.2.3-5-Foo", 1},
	{"3.0.0", "2.7.2+asdf", 1},
	{"1.2.3-a.10", "1.2.3-a.5", 1},
	{"1.2.3-a.b", "1.2.3-a.5", 1},
	{"1.2.3-a.b", "1.2.3-a", 1},
	{"1.2.3-a.b.c.10.d.5", "1.2.3-a.b.c.5.d.100", 1},
	{"1.2.3-r2", "1.2.3-r100", 1},
	{"1.2.3-r100", "1.2.3-R2", 1},
	{"1.2.3", "v1.2.3", 0},
	{"1.2.3-beta+build", "1.2.3-beta+otherbuild", 0},
	{"1.2.3+build", "1.2.3+otherbuild", 0},
	{"  v1.2.3+build", "1.2.3+otherbuild", 0},
	/* strict parsing: what loose mode would take is refused */
	{"=1.2.3", "1.2.3", E},
	{"v 1.2.3", "1.2.3", E},
	{"V1.2.3", "1.2.3", E},
	{"vv1.2.3", "1.2.3", E},
	{"1.2.3beta", "1.2.3", E},
	{"1.2", "1.2.0", E},
	{"1", "1.0.0", E},
	{"1.2.3.4", "1.2.3", E},
	{"01.2.3", "1.2.3", E},
	{"1.02.3", "1.2.3", E},
	{"1.2.03", "1.2.3", E},
	{"1.2.3-01", "1.2.3", E},
	{"1.2.3-a.01", "1.2.3", E},
	{"1.2.3-", "1.2.3", E},
	{"1.2.3-a..b", "1.2.3", E},
	{"1.2.3-a.", "1.2.3", E},
	{"1.2.3+", "1.2.3", E},
	{"1.2.3+a..b", "1.2.3", E},
	{"1.2.3-a_b", "1.2.3", E},
	{"1.2.3 x", "1.2.3", E},
	{"", "1.2.3", E},
	{"1.2.3", "", E},
	/* leading zeros allowed where SemVer allows them */
	{"1.2.3-0a", "1.2.3-0", 1},
	{"1.2.3+001", "1.2.3", 0},
	{"1.2.3-0", "1.2.3-a", -1},
	{"1.2.3--", "1.2.3-a", -1},
	{"1.2.3-1a", "1.2.3-a", -1},
	{"1.2.3-A", "1.2.3-a", -1},
	{"1.2.3-alpha", "1.2.3-alpha-1", -1},
	{"1.2.3-alpha.1", "1.2.3-alpha-1", -1},
	/* whitespace: String.prototype.trim's set, nothing else */
	{" 1.2.3 ", "1.2.3", 0},
	{"\t1.2.3\n", "1.2.3", 0},
	{"\r\v\f1.2.3", "1.2.3", 0},
	{"\xc2\xa0" "1.2.3", "1.2.3", 0},           /* U+00A0 */
	{"\xef\xbb\xbf" "1.2.3", "1.2.3", 0},       /* U+FEFF */
	{"\xe3\x80\x80" "1.2.3\xe2\x80\xa8", "1.2.3", 0}, /* U+3000, U+2028 */
	{"\xe2\x80\x8a" "1.2.3", "1.2.3", 0},       /* U+200A */
	{"\xe2\x80\x8b" "1.2.3", "1.2.3", E},       /* U+200B is not white space */
	{"\xc2\x85" "1.2.3", "1.2.3", E},           /* U+0085 neither, for JavaScript */
	{"\xe1\xa0\x8e" "1.2.3", "1.2.3", E},       /* U+180E neither, since Unicode 6.3 */
	{"1.2.3\xc2", "1.2.3", E},                  /* a broken UTF-8 sequence */
	/* numbers: at most Number.MAX_SAFE_INTEGER */
	{"9007199254740991.0.0", "9007199254740990.0.0", 1},
	{"9007199254740992.0.0", "1.0.0", E},
	{"0.9007199254740991.0", "0.0.9007199254740991", 1},
	{"0.0.9007199254740992", "0.0.0", E},
	{"1.0.0", "18446744073709551616.0.0", E},
	/* pre-release numbers are JavaScript numbers: equal doubles end the comparison */
	{"1.0.0-9007199254740991", "1.0.0-9007199254740990", 1},
	{"1.0.0-9007199254740993", "1.0.0-9007199254740992", 0},
	{"1.0.0-9007199254740993.2", "1.0.0-9007199254740992.1", 0},
	{"1.0.0-9007199254740993.a", "1.0.0-9007199254740992", 0},
	{"1.0.0-9007199254740994", "1.0.0-9007199254740993", 1},
	{"1.0.0-123456789012345678901234567890", "1.0.0-123456789012345678901234567891", 0},
	{"1.0.0-99999999999999999999", "1.0.0-100000000000000000000", 0},
	{"1.0.0-99999999999999999", "1.0.0-100000000000000000", 0},
	{"1.0.0-9999999999999999", "1.0.0-10000000000000000", 0},
	{"1.0.0-999999999999999", "1.0.0-1000000000000000", -1},
	{"1.0.0-2.9007199254740993", "1.0.0-2.9007199254740992", 0},
	/* the length cap (256 UTF-16 code units before trimming): see semver_length_rows() */
};

static const vcase cargo_cases[] = {
	/* the crate's tests/test_version.rs */
	{"", "1.0.0", E},
	{"  ", "1.0.0", E},
	{"1", "1.0.0", E},
	{"1.2", "1.0.0", E},
	{"1.2.3-", "1.0.0", E},
	{"a.b.c", "1.0.0", E},
	{"1.2.3 abc", "1.0.0", E},
	{"1.2.3-01", "1.0.0", E},
	{"0.0.0", "1.2.3-alpha2", -1},
	{"1.0.0", "1.2.3-alpha2", -1},
	{"1.2.0", "1.2.3-alpha2", -1},
	{"1.2.3-alpha1", "1.2.3", -1},
	{"1.2.3-alpha1", "1.2.3-alpha2", -1},
	{"1.2.3-alpha2", "1.2.3-alpha2", 0},
	{"1.2.3-0a.alpha1.9+05build.7.3aedf", "1.2.3-0a.alpha1.9", 0},
	{"1.1.0-beta-10", "1.1.0-beta-9", -1},
	{"1.0.0-alpha", "1.0.0-alpha.1", -1},
	{"1.0.0-alpha.1", "1.0.0-alpha.beta", -1},
	{"1.0.0-alpha.beta", "1.0.0-beta", -1},
	{"1.0.0-beta", "1.0.0-beta.2", -1},
	{"1.0.0-beta.2", "1.0.0-beta.11", -1},
	{"1.0.0-beta.11", "1.0.0-rc.1", -1},
	{"1.0.0-rc.1", "1.0.0", -1},
	/* build metadata: ignored for precedence (the derived Ord would say -1) */
	{"1.2.3+23", "1.2.3+42", 0},
	{"0.11.0+wasi-snapshot-preview1", "0.11.0", 0},
	{"1.0.0+001", "1.0.0", 0},
	{"1.0.0+-", "1.0.0", 0},
	{"1.0.0+", "1.0.0", E},
	{"1.0.0+a..b", "1.0.0", E},
	{"1.0.0-+a", "1.0.0", E},
	/* no prefix, no whitespace, no shorthand, no leading zero */
	{"v1.2.3", "1.2.3", E},
	{"=1.2.3", "1.2.3", E},
	{" 1.2.3", "1.2.3", E},
	{"1.2.3 ", "1.2.3", E},
	{"01.2.3", "1.2.3", E},
	{"1.2.03", "1.2.3", E},
	{"1.2.3.4", "1.2.3", E},
	{"1.2.3-a.01", "1.2.3", E},
	{"1.2.3-a_b", "1.2.3", E},
	{"1.2.3-0a", "1.2.3-0", 1},
	{"1.2.3--", "1.2.3-0", 1},
	{"1.2.3-A", "1.2.3-a", -1},
	/* u64 numbers; pre-release numbers of any length */
	{"18446744073709551615.0.0", "18446744073709551614.0.0", 1},
	{"18446744073709551616.0.0", "1.0.0", E},
	{"0.0.99999999999999999999", "0.0.0", E},
	{"1.0.0-18446744073709551616", "1.0.0-18446744073709551615", 1},
	{"1.0.0-9007199254740993", "1.0.0-9007199254740992", 1},
	{"1.0.0-123456789012345678901234567890", "1.0.0-123456789012345678901234567891", -1},
	{"1.0.0-99999999999999999999", "1.0.0-100000000000000000000", -1},
	/* no length cap */
	{"1.0.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	 "1.0.0", -1},
};

static const vcase go_cases[] = {
	/* x/mod/semver's semver_test.go: validity and the shorthands */
	{"bad", "v1.0.0", E},
	{"v1-alpha.beta.gamma", "v1.0.0", E},
	{"v1-pre", "v1.0.0", E},
	{"v1+meta", "v1.0.0", E},
	{"v1-pre+meta", "v1.0.0", E},
	{"v1.2-pre", "v1.0.0", E},
	{"v1.2+meta", "v1.0.0", E},
	{"v1.2-pre+meta", "v1.0.0", E},
	{"v1", "v1.0.0", 0},
	{"v1.0", "v1.0.0", 0},
	{"v1.2", "v1.2.0", 0},
	{"v1.2.3-pre+meta", "v1.2.3-pre", 0},
	{"v1.2.3+meta-pre.sha.256a", "v1.2.3", 0},
	{"v1.2.3-456-789", "v1.2.3-456a", -1},
	{"v1.2.3-456", "v1.2.3-456.789", -1},
	{"v1.2.3-zzz", "v1.2.3", -1},
	{"v1.0.0-alpha", "v1.0.0-alpha.1", -1},
	{"v1.0.0-alpha.1", "v1.0.0-alpha.beta", -1},
	{"v1.0.0-alpha.beta", "v1.0.0-beta", -1},
	{"v1.0.0-beta", "v1.0.0-beta.2", -1},
	{"v1.0.0-beta.2", "v1.0.0-beta.11", -1},
	{"v1.0.0-beta.11", "v1.0.0-rc.1", -1},
	{"v1.0.0-rc.1", "v1.0.0", -1},
	/* module versions: pseudo-versions and +incompatible */
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20191109021932-0123456789ab", -1},
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1},
	{"v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", -1},
	{"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1},
	{"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-alpha", -1},
	{"v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", -1},
	{"v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre", 1},
	{"v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre.1", -1},
	{"v2.0.0+incompatible", "v2.0.0", 0},
	{"v2.0.1+incompatible", "v2.0.0", 1},
	{"v2.0.0-rc1+incompatible", "v2.0.0", -1},
	/* the prefix, as govulncheck makes it canonical (OSV has none) */
	{"1.2.3", "v1.2.3", 0},
	{"1.2", "v1.2.0", 0},
	{"0", "v0.0.0", 0},
	{"0.0.0-20191109021931-daa7c04131f5", "v0.0.0-20191109021931-daa7c04131f5", 0},
	{"go1.2.3", "v1.2.3", 0},
	{"vgo1.2.3", "v1.2.3", 0},
	{"vv1.2.3", "v1.2.3", 0},
	{"gov1.2.3", "v1.2.3", 0},
	{"vvv1.2.3", "v1.2.3", E},
	{"gogo1.2.3", "v1.2.3", E},
	{"vgov1.2.3", "v1.2.3", 0},
	{"V1.2.3", "v1.2.3", E},
	{"v", "v1.2.3", E},
	{"", "v1.2.3", E},
	/* no whitespace, no leading zero, numbers of any length */
	{" v1.2.3", "v1.2.3", E},
	{"v1.2.3 ", "v1.2.3", E},
	{"v01.2.3", "v1.2.3", E},
	{"v1.2.3-01", "v1.2.3", E},
	{"v1.2.3-0a", "v1.2.3-0", 1},
	{"v1.2.3+01", "v1.2.3", 0},
	{"v1.2.3-", "v1.2.3", E},
	{"v1.2.3+", "v1.2.3", E},
	{"v1.2.3-a..b", "v1.2.3", E},
	{"v1.2.3.4", "v1.2.3", E},
	{"v99999999999999999999999999.0.0", "v99999999999999999999999998.0.0", 1},
	{"v1.0.0-99999999999999999999", "v1.0.0-100000000000000000000", -1},
	{"v1.0.0-A", "v1.0.0-a", -1},
};

static const vcase gostd_cases[] = {
	/* x/vuln's semver_test.go (GoTagToSemver, Less) */
	{"go1.19", "v1.19.0", 0},
	{"go1.20-pre4", "v1.20.0-pre.4", 0},
	{"go1.19.1", "go1.19", 1},
	{"go1.12.2", "go1.18", -1},
	{"v1.20.0-pre4", "v1.20.0-pre.4", 1},
	{"v1.20.0-pre4", "v1.20.0-pre4.4", -1},
	/* release tags against the database's semver */
	{"go1.21rc2", "1.21.0-rc.2", 0},
	{"go1.21rc2", "go1.21.0", -1},
	{"go1.21rc2", "go1.21rc10", -1},
	{"go1.9beta2", "go1.9rc1", -1},
	{"go1.9beta2", "1.9.0-0", 1},
	{"go1.20", "1.20.0", 0},
	{"go1.20", "go1.20.0", 0},
	{"go1.21", "go1.21rc1", 1}, /* internal/gover would say -1: see docs/versions.md */
	{"go1.19.8", "1.19.11", -1},
	{"go1.19.11", "1.20.0-0", -1},
	{"go1", "1.0.0", 0},
	{"go1", "go1.0.1", -1},
	{"go1.0", "1.0.0", E},
	{"go1.21.0 X:boringcrypto", "go1.21.0", 0},
	{"go1.22.1\xc2\xa0" "extra", "1.22.1", 0},  /* U+00A0 ends the word, as for strings.Fields */
	{"go1.22.1\xc2\x85" "extra", "1.22.1", 0},  /* so does U+0085 */
	{"go1.22.1\xe3\x80\x80", "1.22.1", 0},       /* and U+3000 */
	{"go1.22.1\xe2\x80\x8b", "1.22.1", E},       /* U+200B does not */
	{"go1.21.0-bigcorp", "go1.21.0", E},
	{"go1.21alpha1", "go1.21.0", E},
	{"go1.21.0rc1", "go1.21.0", -1}, /* the tag pattern takes a pre-release after a patch */
	{"go1.21RC1", "go1.21.0", E},
	{"go1.21rc", "go1.21.0", E},
	{"go1.21rc01", "go1.21.0", E},
	{"go01.21", "go1.21.0", E},
	{"go1.021", "go1.21.0", E},
	{"go1.21.00", "go1.21.0", E},
	{"go2", "1.0.0", E},
	{"go", "1.0.0", E},
	{"devel go1.22-abcdef Tue Jan 1 00:00:00 2024 +0000", "1.0.0", E},
	{" go1.21.0", "1.21.0", E},
	{"1.21rc2", "1.21.0", E},
	{"v1.21.0-rc.2", "1.21.0-rc.2", 0},
	{"go1.99999999999999999999", "go1.100", 1},
};

static const vcase nuget_cases[] = {
	/* NuGet.Client's VersionComparerTests.cs */
	{"1.0.0", "1.0.0", 0},
	{"1.0.0-BETA", "1.0.0-beta", 0},
	{"1.0.0-BETA+AA", "1.0.0-beta+aa", 0},
	{"1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa", 0},
	{"0.0.0", "1.0.0", -1},
	{"1.0.0", "1.1.0", -1},
	{"1.0.0", "1.0.1", -1},
	{"1.999.9999", "2.1.1", -1},
	{"1.0.0-BETA", "1.0.0-beta2", -1},
	{"1.0.0-beta+AA", "1.0.0+aa", -1},
	{"1.0.0-BETA", "1.0.0-beta.1+AA", -1},
	{"1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa", -1},
	{"1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc", -1},
	/* NuGetVersionTest.cs */
	{"1.0", "1.0.1", -1},
	{"1.23", "1.231", -1},
	{"1.4.5.6", "1.45.6", -1},
	{"1.4.5.6", "1.4.5.60", -1},
	{"1.01", "1.10", -1},
	{"1.01-alpha", "1.10-beta", -1},
	{"1.01.0-RC-1", "1.10.0-rc-2", -1},
	{"1.01-RC-1", "1.01", -1},
	{"1.01", "1.2-preview", -1},
	{"1.0", "1.0.0.0", 0},
	{"1.23.01", "1.23.1", 0},
	{"1.45.6", "1.45.6.0", 0},
	{"1.45.6-Alpha", "1.45.6-Alpha", 0},
	{"1.6.2-BeTa", "1.6.02-beta", 0},
	{"22.3.07     ", "22.3.07", 0},
	{"  1.022-Beta", "1.22.0.0-Beta", 0},
	{"    1.3.42.10133-PreRelease  ", "1.3.42.10133-PreRelease", 0},
	{"1.0.0009.01-1.1+A", "1.0.9.1-1.1", 0},
	{"2", "2.0.0.0", 0},
	{"1beta", "1.0", E},
	{"$version$", "1.0", E},
	{"1.2Av^c", "1.0", E},
	{"1.2..", "1.0", E},
	{"1.2.3.4.5", "1.0", E},
	{"1.2.3.Beta", "1.0", E},
	{"1.2.3.4This version is full of awesomeness!!", "1.0", E},
	{"So.is.this", "1.0", E},
	{"1.34.2Alpha", "1.0", E},
	{"1.34.2Release Candidate", "1.0", E},
	{"1.4.7-", "1.0", E},
	{"1.4.7-*", "1.0", E},
	{"1.4.7+*", "1.0", E},
	{"1.4.7-AA.01^", "1.0", E},
	{"1.4.7-AA.0A^", "1.0", E},
	{"1.4.7-A^A", "1.0", E},
	{"1.4.7+AA.01^", "1.0", E},
	/* SemVer201SpecTests.cs: the label and metadata rules NuGetVersion shares */
	{"0.1.2-Alpha.2.34.5.453.345.345.345.345.A.B.bbbbbbb.Csdfdfdf", "0.1.2", -1},
	{"0.1.2--", "0.1.2", -1},
	{"0.1.2--B2.-.C.-A0-", "0.1.2--B-C-", 1}, /* '2' sorts after '-' */
	{"0.1.2-Alpha..2", "0.1.2", E},
	{"0.1.2-Alpha.", "0.1.2", E},
	{"0.1.2-.AA", "0.1.2", E},
	{"0.1.2-alp=ha", "0.1.2", E},
	{"0.1.2-alp\xe2\x94\x90jj", "0.1.2", E},
	{"0.1.2-a.&.444", "0.1.2", E},
	{"0.1.2-02", "0.1.2", E},
	{"0.1.2-2.A.02", "0.1.2", E},
	{"0.1.2-02A", "0.1.2-2.02B", 1},
	{"0.1.2+203-49244.23-3.34-4.0-.-.-", "0.1.2", 0},
	{"0.1.2----+----", "0.1.2---", 1},
	{"0.1.2+\xc3\x84\xc3\x84", "0.1.2", E},
	{"0.1.2+2+A", "0.1.2", E},
	{"0.1.2+02A.", "0.1.2", E},
	{"0.1.2+02..A", "0.1.2", E},
	{"0.1.2+", "0.1.2", E},
	{"0.1.2+000000", "0.1.2", 0},
	{"1.2.3-2", "1.2.3-3", -1},
	{"1.2.3-1.9", "1.2.3-1.50", -1},
	{"1.2.3-2A", "1.2.3-3A", -1},
	{"1.2.3-1.50A", "1.2.3-1.9A", -1},
	{"1.2.3-999999", "1.2.3-Z", -1},
	{"1.2.3-A.999999", "1.2.3-A.56-2", -1},
	{"1.2.3-a.2.3.4", "1.2.3-a.2.3.4.5", -1},
	{"1.2.3-A-b2-C", "1.2.3-a-B2-c", 0},
	/* the legacy fourth number, leading zeros, Int32 */
	{"1.0.0.1", "1.0.0", 1},
	{"1.0.0.1-alpha", "1.0.0", 1},
	{"1.0.0.0-alpha", "1.0.0-alpha", 0},
	{"01.002", "1.2", 0},
	{"0000000000002147483647.0", "2147483647.0", 0},
	{"2147483648.0", "1.0", E},
	{"1.2147483648", "1.0", E},
	/* white space: String.Trim's set around, Int32's inside the numbers */
	{"\xc2\x85" "1.0", "1.0", 0},        /* U+0085 */
	{"\xc2\xa0" "1.0\xe3\x80\x80", "1.0", 0},  /* U+00A0, U+3000 */
	{"\xef\xbb\xbf" "1.0", "1.0", E},    /* U+FEFF is not white space */
	{"\xe1\xa0\x8e" "1.0", "1.0", E},    /* nor U+180E */
	{"1 .2", "1.2", 0},
	{"1. 2 .3", "1.2.3", 0},
	{"1.\v2", "1.2", 0},
	{"1.\xc2\xa0" "2", "1.2", E},
	{"1. .2", "1.2", E},
	{"1 2.3", "1.2", E},
	{"1.0-a b", "1.0", E},
	/* separators: the last character, an empty label, a '+' after '+' */
	{"1.0+", "1.0", E},
	{"1.0-a+", "1.0", E},
	{"1.0-+a", "1.0", E},
	{"1-0.0.0", "1.0.0.0-0.0.0", 0},
	{"-1.0", "1.0", E},
	{"+1.0", "1.0", E},
	{"1.0.0+a-b", "1.0.0", 0},
	/* int.TryParse decides which labels are numeric: "-1" is, 2^31 is not */
	{"1.0.0--1", "1.0.0-0", -1},
	{"1.0.0--1", "1.0.0-a", -1},
	{"1.0.0--5", "1.0.0--3", -1},
	{"1.0.0--0", "1.0.0-0", 0},
	{"1.0.0--00", "1.0.0-0", 0},
	{"1.0.0--2147483648", "1.0.0--2147483647", -1},
	{"1.0.0--2147483649", "1.0.0--2147483648", 1},
	{"1.0.0-2147483648", "1.0.0-2147483647", 1},
	{"1.0.0-2147483648", "1.0.0-a", -1},
	{"1.0.0-10000000000", "1.0.0-9999999999", -1},
	{"1.0.0--", "1.0.0-0", 1},
	{"", "1.0", E},
	{" ", "1.0", E},
	{"v1.0", "1.0", E},
};

/*
 * Versions around npm's cap of 256 UTF-16 code units (counted before the
 * trim), built here rather than spelt out: lead + "1.0.0-" + n times 'a' +
 * trail, against "1.0.0".
 */
static const struct length_row {
	const char *lead, *trail;
	size_t as;
	int want;
} semver_length_rows[] = {
	{"", "", 250, -1},                /* 256 */
	{"", "", 251, E},                 /* 257 */
	{"\xe3\x80\x80", "", 249, -1},    /* 256 code units, 258 bytes */
	{"\xe3\x80\x80", "", 250, E},     /* 257 code units */
	{"", " ", 249, -1},               /* 256 with the space trim removes */
	{"", " ", 250, E},                /* 257: the space counts */
	{"", "\xef\xbb\xbf", 249, -1},    /* 256 */
	{"\xc2\xa0", "\xe2\x80\xa8", 249, E}, /* 257 */
};

static void length_row(const struct length_row *row, char *buf, size_t bufsz)
{
	size_t n = 0;

	n += (size_t)snprintf(buf + n, bufsz - n, "%s1.0.0-", row->lead);
	memset(buf + n, 'a', row->as);
	n += row->as;
	snprintf(buf + n, bufsz - n, "%s", row->trail);
}

/* ---- the generator ----------------------------------------------------------- */

/* Numeric limits of every scheme here, and the numbers around them. */
static const char *const boundaries[] = {
	"9007199254740990", "9007199254740991", "9007199254740992", "9007199254740993",
	"18446744073709551614", "18446744073709551615", "18446744073709551616", "99999999999999999999",
	"2147483646", "2147483647", "2147483648", "4294967295", "4294967296", "1000000000000000",
	"999999999999999", "10000000000000000", "9999999999999999", "123456789012345678901234567890",
};

/*
 * A version number: mostly small, sometimes long or at a limit; when wild,
 * also zero-led.
 */
static void number(rng *r, sbuf *b, bool wild)
{
	unsigned k = below(r, 100);

	if (!wild) {
		if (k < 45)
			digits(r, b, 1, true);
		else if (k < 70)
			digits(r, b, 2, false);
		else if (k < 78)
			put(b, "0");
		else if (k < 91)
			digits(r, b, 1 + below(r, 4), false);
		else if (k < 95)
			put(b, PICK(r, boundaries));
		else if (k < 98)
			digits(r, b, 14 + below(r, 8), false);
		else
			digits(r, b, 25 + below(r, 40), false);
		return;
	}
	if (k < 35)
		digits(r, b, 1, true);
	else if (k < 55)
		digits(r, b, 2, false);
	else if (k < 62)
		put(b, "0");
	else if (k < 72)
		digits(r, b, 1 + below(r, 6), false);
	else if (k < 79) {
		put(b, "0");
		digits(r, b, 1 + below(r, 3), true);
	} else if (k < 86)
		digits(r, b, 14 + below(r, 8), false);
	else if (k < 94)
		put(b, PICK(r, boundaries));
	else if (k < 97)
		digits(r, b, 25 + below(r, 40), false);
	else
		put(b, "1");
}

static const char *const words[] = {
	"alpha", "beta", "rc", "RC", "Alpha", "BETA", "Beta", "a", "b", "z", "Z", "A", "x-y", "-", "--", "pre",
	"dev", "SNAPSHOT", "snapshot", "final", "incompatible", "preview", "0a", "a0", "1a", "a1", "-1", "-0",
	"-01", "1-", "rc1", "rc2", "beta2", "0-", "ea", "lts", "security1",
};

/*
 * A pre-release or build identifier; when wild, also zero-led numbers,
 * empty identifiers and characters no scheme takes.
 */
static void ident(rng *r, sbuf *b, bool numeric_bias, bool wild)
{
	static const char set[] = "abAB-09z";
	unsigned k = below(r, 100), i, n;

	if (numeric_bias && k < 30) {
		digits(r, b, 1 + below(r, 2), false);
		return;
	}
	if (!wild) {
		if (k < 50) {
			put(b, PICK(r, words));
		} else if (k < 70) {
			digits(r, b, 1 + below(r, 3), false);
		} else if (k < 76) {
			put(b, "0");
		} else if (k < 92) {
			for (i = 0, n = 1 + below(r, 5); i < n; i++)
				putch(b, set[below(r, sizeof(set) - 1)]);
		} else if (k < 97) {
			put(b, PICK(r, boundaries));
		} else {
			digits(r, b, 17 + below(r, 12), false);
		}
		return;
	}
	if (k < 45) {
		put(b, PICK(r, words));
	} else if (k < 60) {
		digits(r, b, 1 + below(r, 3), false);
	} else if (k < 66) {
		put(b, "0");
	} else if (k < 70) {
		put(b, "0");
		digits(r, b, 1 + below(r, 2), true);
	} else if (k < 78) {
		put(b, PICK(r, boundaries));
	} else if (k < 80) {
		digits(r, b, 17 + below(r, 12), false);
	} else if (k < 93) {
		for (i = 0, n = 1 + below(r, 5); i < n; i++)
			putch(b, set[below(r, sizeof(set) - 1)]);
	} else if (k < 95) {
		put(b, ""); /* empty: "a..b", "1.0.0-" */
	} else {
		static const char *const odd[] = {"_", "a_b", "\xc3\xa9", "*", "a^", "=", "a b", "~1", "!"};

		put(b, PICK(r, odd));
	}
}

/* The parts a version is rendered from, so that a pair can share some. */
typedef struct vparts {
	char prefix[16];
	int nnum;
	char num[4][128];
	int npre;
	char pre[4][128];
	int nbuild;
	char build[3][64];
	char suffix[24];
	char tail[48]; /* scheme-specific extra (pseudo-version, tag suffix) */
} vparts;

/* Copies src into dst[dstsz], cut to fit. */
static void setf(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy_field(char *dst, size_t dstsz, const sbuf *b)
{
	setf(dst, dstsz, b->s);
}

static const char *const spaces[] = {
	" ", "  ", "\r", "\v", "\f", "\xc2\xa0", "\xc2\x85", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x8a",
	"\xe2\x80\x8b", "\xe2\x80\xa8", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", "\xef\xbb\xbf", "\xe1\xa0\x8e",
};

/* When not wild, the prefix is "" or "v", as the percentages say. */
static void gen_prefix(rng *r, vparts *v, unsigned plain_percent, unsigned v_percent, bool wild)
{
	static const char *const odd[] = {"V", "=", "vv", "v ", "go", "vgo", "gov", "~", "^", ">=", "v=", "0"};
	unsigned k = below(r, 100);

	if (!wild)
		setf(v->prefix, sizeof(v->prefix), k < plain_percent * 100 / (plain_percent + v_percent) ? "" : "v");
	else if (k < plain_percent)
		v->prefix[0] = '\0';
	else if (k < plain_percent + v_percent)
		snprintf(v->prefix, sizeof(v->prefix), "v");
	else if (chance(r, 50))
		setf(v->prefix, sizeof(v->prefix), PICK(r, spaces));
	else
		setf(v->prefix, sizeof(v->prefix), PICK(r, odd));
}

static void gen_suffix(rng *r, vparts *v, unsigned plain_percent, bool wild)
{
	static const char *const odd[] = {".", "-", "+", "x", "_1", ".0", "..", "\xc2", "\xc3\xa9", "!", "/1"};

	if (!wild || chance(r, plain_percent))
		v->suffix[0] = '\0';
	else if (chance(r, 50))
		setf(v->suffix, sizeof(v->suffix), PICK(r, spaces));
	else
		setf(v->suffix, sizeof(v->suffix), PICK(r, odd));
}

/* Numbers, pre-release and build, the parts every scheme here has. */
static void gen_core(rng *r, vparts *v, const unsigned *nnum_weights, unsigned pre_percent,
		     unsigned build_percent, bool wild)
{
	unsigned k = below(r, 100), acc = 0;
	int i;

	for (v->nnum = 1; v->nnum < 4; v->nnum++) {
		acc += nnum_weights[v->nnum - 1];
		if (k < acc)
			break;
	}
	for (i = 0; i < v->nnum; i++) {
		sbuf b = {{0}, 0};

		number(r, &b, wild);
		copy_field(v->num[i], sizeof(v->num[i]), &b);
	}
	v->npre = chance(r, (unsigned)pre_percent) ? 1 + (int)below(r, 4) : 0;
	for (i = 0; i < v->npre; i++) {
		sbuf b = {{0}, 0};

		ident(r, &b, i > 0, wild);
		copy_field(v->pre[i], sizeof(v->pre[i]), &b);
	}
	v->nbuild = chance(r, build_percent) ? 1 + (int)below(r, 3) : 0;
	for (i = 0; i < v->nbuild; i++) {
		sbuf b = {{0}, 0};

		ident(r, &b, false, wild);
		copy_field(v->build[i], sizeof(v->build[i]), &b);
	}
}

/*
 * B from A: each part kept with some probability, else made anew; then
 * sometimes one identifier nudged (a digit changed, a letter's case
 * flipped, a part dropped or added), which is where orderings differ.
 */
static void vary(rng *r, vparts *b, const vparts *a, const vparts *fresh)
{
	int i;

	*b = *a;
	if (chance(r, 25))
		memcpy(b->prefix, fresh->prefix, sizeof(b->prefix));
	if (chance(r, 35)) {
		b->nnum = fresh->nnum;
		memcpy(b->num, fresh->num, sizeof(b->num));
	} else {
		for (i = 0; i < b->nnum && fresh->nnum > 0; i++)
			if (chance(r, 15))
				memcpy(b->num[i], fresh->num[i < fresh->nnum ? i : 0], sizeof(b->num[i]));
	}
	if (chance(r, 40)) {
		b->npre = fresh->npre;
		memcpy(b->pre, fresh->pre, sizeof(b->pre));
	} else if (b->npre > 0 && chance(r, 50)) {
		i = (int)below(r, (unsigned)b->npre);
		memcpy(b->pre[i], fresh->pre[0], sizeof(b->pre[i]));
	}
	if (chance(r, 30)) {
		b->nbuild = fresh->nbuild;
		memcpy(b->build, fresh->build, sizeof(b->build));
	}
	if (chance(r, 20))
		memcpy(b->suffix, fresh->suffix, sizeof(b->suffix));
	if (chance(r, 30))
		memcpy(b->tail, fresh->tail, sizeof(b->tail));
	if (chance(r, 20) && b->npre < 4) {
		setf(b->pre[b->npre], sizeof(b->pre[0]), chance(r, 50) ? "0" : "1");
		b->npre++;
	} else if (chance(r, 10) && b->npre > 0) {
		b->npre--;
	}
	if (chance(r, 15) && b->nnum < 4) {
		snprintf(b->num[b->nnum], sizeof(b->num[0]), "0");
		b->nnum++;
	}
	if (chance(r, 30) && b->nnum > 0) {
		/* nudge one character of one number or identifier */
		char *f = b->npre > 0 && chance(r, 50) ? b->pre[below(r, (unsigned)b->npre)]
						       : b->num[below(r, (unsigned)b->nnum)];
		size_t n = strlen(f);

		if (n > 0) {
			size_t at = below(r, (unsigned)n);

			if (f[at] >= '0' && f[at] <= '9')
				f[at] = (char)('0' + below(r, 10));
			else if (f[at] >= 'a' && f[at] <= 'z')
				f[at] = (char)(f[at] - 'a' + 'A');
			else if (f[at] >= 'A' && f[at] <= 'Z')
				f[at] = (char)(f[at] - 'A' + 'a');
		}
	}
}

/* prefix num(.num)* (-pre(.pre)*)? (+build(.build)*)? tail suffix */
static void render(const vparts *v, sbuf *b)
{
	int i;

	sbuf_clear(b);
	put(b, v->prefix);
	for (i = 0; i < v->nnum; i++) {
		if (i)
			putch(b, '.');
		put(b, v->num[i]);
	}
	for (i = 0; i < v->npre; i++) {
		putch(b, i ? '.' : '-');
		put(b, v->pre[i]);
	}
	put(b, v->tail);
	for (i = 0; i < v->nbuild; i++) {
		putch(b, i ? '.' : '+');
		put(b, v->build[i]);
	}
	put(b, v->suffix);
}

/* One generated version of a scheme, into v. */
typedef void (*gen_fn)(rng *r, vparts *v);

static void gen_semver(rng *r, vparts *v)
{
	static const unsigned nnum[] = {2, 5, 88}; /* 1, 2, 3 numbers; else 4 */
	static const unsigned nnum_clean[] = {0, 0, 100};

	bool wild = chance(r, 15);

	memset(v, 0, sizeof(*v));
	gen_prefix(r, v, 80, 12, wild);
	gen_core(r, v, wild ? nnum : nnum_clean, 55, 20, wild);
	gen_suffix(r, v, 88, wild);
	if (chance(r, 3)) {
		/* around the 256 code unit cap: two long identifiers */
		unsigned total = 236 + below(r, 30), i, k;

		for (k = 0; k < 2; k++) {
			unsigned n = k == 0 ? 120 : total - 127;

			for (i = 0; i < n && i + 1 < sizeof(v->pre[k]); i++)
				v->pre[k][i] = chance(r, 85) ? 'a' : '9';
			v->pre[k][i] = '\0';
		}
		v->npre = 2;
		v->nnum = 3;
		snprintf(v->num[0], sizeof(v->num[0]), "1");
		snprintf(v->num[1], sizeof(v->num[1]), "0");
		snprintf(v->num[2], sizeof(v->num[2]), "0");
	}
}

static void gen_cargo(rng *r, vparts *v)
{
	static const unsigned nnum[] = {3, 5, 87};
	static const unsigned nnum_clean[] = {0, 0, 100};
	bool wild = chance(r, 15);

	memset(v, 0, sizeof(*v));
	gen_prefix(r, v, 90, 4, wild);
	if (!wild)
		v->prefix[0] = '\0';
	gen_core(r, v, wild ? nnum : nnum_clean, 55, 25, wild);
	gen_suffix(r, v, 92, wild);
}

static void timestamp(rng *r, char *out, size_t outsz)
{
	snprintf(out, outsz, "20%02u%02u%02u%02u%02u%02u", 10 + below(r, 15), 1 + below(r, 12), 1 + below(r, 28),
		 below(r, 24), below(r, 60), below(r, 60));
}

static void hash12(rng *r, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 12; i++)
		out[i] = hex[below(r, 16)];
	out[12] = '\0';
}

static void gen_go(rng *r, vparts *v)
{
	static const unsigned nnum[] = {5, 7, 85};
	bool wild = chance(r, 15);

	memset(v, 0, sizeof(*v));
	gen_prefix(r, v, 30, 62, wild);
	gen_core(r, v, nnum, 45, 15, wild);
	gen_suffix(r, v, 94, wild);
	if (chance(r, 30)) {
		/* pseudo-versions: vX.0.0-ts-hash, vX.Y.(Z+1)-0.ts-hash, vX.Y.Z-pre.0.ts-hash */
		char ts[32], h[13];
		unsigned k = below(r, 3);

		timestamp(r, ts, sizeof(ts));
		hash12(r, h);
		if (v->nnum < 3)
			v->nnum = 3;
		if (k == 0) {
			v->npre = 0;
			snprintf(v->num[1], sizeof(v->num[1]), "0");
			snprintf(v->num[2], sizeof(v->num[2]), "0");
			snprintf(v->tail, sizeof(v->tail), "-%s-%s", ts, h);
		} else if (k == 1) {
			v->npre = 0;
			snprintf(v->tail, sizeof(v->tail), "-0.%s-%s", ts, h);
		} else {
			if (v->npre == 0) {
				v->npre = 1;
				snprintf(v->pre[0], sizeof(v->pre[0]), "pre");
			}
			snprintf(v->tail, sizeof(v->tail), ".0.%s-%s", ts, h);
		}
	}
	if (chance(r, 10)) {
		v->nbuild = 1;
		snprintf(v->build[0], sizeof(v->build[0]), "incompatible");
	}
}

static void gen_gostd(rng *r, vparts *v)
{
	static const char *const kinds[] = {"beta", "rc", "-pre", "alpha", "RC", "rc.", "-rc", ""};
	static const char *const after[] = {" X:boringcrypto", "-bigcorp", " ", "\xc2\xa0x", "\xe2\x80\x8bx", "+x", ".0"};
	static const char *const special[] = {"go1", "go1.0", "go", "go1.", "go2", "go1.21", "go1.21.0", "go1.20",
					      "devel go1.22-abc", "go1.0.0", "go1.1"};

	memset(v, 0, sizeof(*v));
	if (chance(r, 45)) {
		/* the database's side: semver, mostly without "v" */
		gen_go(r, v);
		if (chance(r, 60))
			v->prefix[0] = '\0';
		return;
	}
	if (chance(r, 6)) {
		setf(v->prefix, sizeof(v->prefix), PICK(r, special));
		v->nnum = 0;
		return;
	}
	snprintf(v->prefix, sizeof(v->prefix), "go");
	v->nnum = 2 + (chance(r, 60) ? 1 : 0);
	setf(v->num[0], sizeof(v->num[0]), chance(r, 92) ? "1" : chance(r, 50) ? "01" : "2");
	snprintf(v->num[1], sizeof(v->num[1]), "%u", below(r, 25));
	if (chance(r, 4))
		snprintf(v->num[1], sizeof(v->num[1]), "0%u", below(r, 10));
	snprintf(v->num[2], sizeof(v->num[2]), "%u", below(r, 14));
	if (chance(r, 4))
		setf(v->num[2], sizeof(v->num[2]), PICK(r, boundaries));
	if (chance(r, 35)) {
		const char *kind = PICK(r, kinds);

		snprintf(v->tail, sizeof(v->tail), "%s%u", kind, 1 + below(r, 12));
		if (chance(r, 5))
			snprintf(v->tail, sizeof(v->tail), "%s0%u", kind, below(r, 3));
	}
	if (chance(r, 12)) {
		size_t n = strlen(v->tail);

		snprintf(v->tail + n, sizeof(v->tail) - n, "%s", PICK(r, after));
	}
}

static void gen_nuget(rng *r, vparts *v)
{
	static const unsigned nnum[] = {8, 20, 47}; /* 1, 2, 3 numbers; else 4 (25%) */
	static const char *const inner[] = {" ", "\v", "\f", "\r", "\xc2\xa0"};

	bool wild = chance(r, 15);

	memset(v, 0, sizeof(*v));
	gen_prefix(r, v, 82, 3, wild);
	if (!wild)
		v->prefix[0] = '\0';
	gen_core(r, v, nnum, 50, 20, wild);
	gen_suffix(r, v, 86, wild);
	if (chance(r, 5)) {
		/* System.Version's Int32.TryParse takes white space around the digits */
		int i = (int)below(r, (unsigned)v->nnum);
		char tmp[128];

		if (chance(r, 50))
			snprintf(tmp, sizeof(tmp), "%s%s", v->num[i], PICK(r, inner));
		else
			snprintf(tmp, sizeof(tmp), "%s%s", PICK(r, inner), v->num[i]);
		setf(v->num[i], sizeof(v->num[i]), tmp);
	}
	if (chance(r, 5)) {
		/* zero-led numbers, long: Int32 is read after the zeros */
		int i = (int)below(r, (unsigned)v->nnum);
		char tmp[128];

		snprintf(tmp, sizeof(tmp), "0000000000%s", v->num[i]);
		setf(v->num[i], sizeof(v->num[i]), tmp);
	}
}

/* Short strings of version-ish pieces, for the parsers' corners. */
static void soup(rng *r, sbuf *b)
{
	static const char *const bits[] = {
		"0", "1", "2", "9", ".", ".", "-", "-", "+", "v", "g", "o", "go", "a", "A", "rc", "beta", "-pre", " ",
		"\xc2\xa0", "\xe3\x80\x80", "\xc2\x85", "\xef\xbb\xbf", "\v", "\r", "_", "00", "10", "2147483648",
		"9007199254740993", "-1",
	};
	unsigned i, n = 1 + below(r, 10);

	sbuf_clear(b);
	for (i = 0; i < n; i++)
		put(b, PICK(r, bits));
}

static void generate(pairs *p, gen_fn gen, uint64_t seed, size_t n)
{
	rng r = {seed, true};
	size_t i;

	for (i = 0; i < n; i++) {
		vparts a, b, fresh;
		sbuf sa, sb;

		if (chance(&r, 4)) {
			soup(&r, &sa);
			if (chance(&r, 70))
				soup(&r, &sb);
			else
				sb = sa;
			pairs_add(p, sa.s, sb.s);
			continue;
		}
		gen(&r, &a);
		gen(&r, &fresh);
		if (chance(&r, 8))
			b = a;
		else if (chance(&r, 20))
			b = fresh;
		else
			vary(&r, &b, &a, &fresh);
		render(&a, &sa);
		render(&b, &sb);
		if (chance(&r, 50))
			pairs_add(p, sa.s, sb.s);
		else
			pairs_add(p, sb.s, sa.s);
	}
}

/* GEN_PAIRS generated pairs, the table and extra's, against the reference. */
static void check_reference(const cs_version_scheme *s, gen_fn gen, uint64_t seed, const vcase *cases,
			    size_t ncases, void (*extra)(pairs *p))
{
	pairs p = {0};
	vtally t;

	generate(&p, gen, vpairs_seed(seed), vpairs_count(GEN_PAIRS));
	pairs_add_cases(&p, cases, ncases);
	if (extra)
		extra(&p);
	if (check_pairs(s, s->name, &p, &t))
		printf("  %s: %zu pairs: %zu older, %zu equal, %zu newer, %zu refused; %zu differ from the reference\n",
		       s->name, t.n, t.older, t.equal, t.newer, t.refused, t.bad);
	pairs_free(&p);
}

/* ---- the tests ---------------------------------------------------------------- */

TEST(semver_cases)
{
	check_cases(&cs_version_semver, semver_cases, CS_ARRAY_LEN(semver_cases));
}

TEST(cargo_cases)
{
	check_cases(&cs_version_cargo, cargo_cases, CS_ARRAY_LEN(cargo_cases));
}

TEST(go_cases)
{
	check_cases(&cs_version_go, go_cases, CS_ARRAY_LEN(go_cases));
}

TEST(gostd_cases)
{
	check_cases(&cs_version_gostd, gostd_cases, CS_ARRAY_LEN(gostd_cases));
}

TEST(nuget_cases)
{
	check_cases(&cs_version_nuget, nuget_cases, CS_ARRAY_LEN(nuget_cases));
}

static void semver_extra(pairs *p)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(semver_length_rows); i++) {
		char a[300];

		length_row(&semver_length_rows[i], a, sizeof(a));
		pairs_add_want(p, a, "1.0.0", semver_length_rows[i].want);
	}
}

TEST(semver_length_cap)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(semver_length_rows); i++) {
		char a[300];
		int got;

		length_row(&semver_length_rows[i], a, sizeof(a));
		got = compare(&cs_version_semver, a, "1.0.0");
		if (got != semver_length_rows[i].want) {
			fprintf(stderr, "  semver: length row %zu: got %s, want %s\n", i, answer_str(got),
				answer_str(semver_length_rows[i].want));
			test_failures++;
		}
	}
}

TEST(semver_reference)
{
	check_reference(&cs_version_semver, gen_semver, 0x5e3e5e3e12345671ull, semver_cases,
			CS_ARRAY_LEN(semver_cases), semver_extra);
}

TEST(cargo_reference)
{
	check_reference(&cs_version_cargo, gen_cargo, 0xca760ca760ca7601ull, cargo_cases, CS_ARRAY_LEN(cargo_cases), NULL);
}

TEST(go_reference)
{
	check_reference(&cs_version_go, gen_go, 0x60606060a5a5a5a5ull, go_cases, CS_ARRAY_LEN(go_cases), NULL);
}

TEST(gostd_reference)
{
	check_reference(&cs_version_gostd, gen_gostd, 0x57d57d57d57d0001ull, gostd_cases, CS_ARRAY_LEN(gostd_cases), NULL);
}

TEST(nuget_reference)
{
	check_reference(&cs_version_nuget, gen_nuget, 0x4e4e4e4e60606061ull, nuget_cases, CS_ARRAY_LEN(nuget_cases), NULL);
}

/*
 * The go command's own order (internal/gover's compareTests in Go 1.21+,
 * with the "go" prefix go/version wants; Debian 12's Go 1.19 has neither
 * package): gostd follows govulncheck instead, and differs exactly on the
 * rows marked, as docs/versions.md explains.
 */
TEST(gostd_gover_vectors)
{
	static const struct {
		const char *x, *y;
		int gover; /* gover.Compare's answer */
		int ours;  /* where it differs, ours; else the same */
	} rows[] = {
		{"go", "go", 0, E}, /* gover: malformed versions are equal */
		{"gox", "gox", 0, E},
		{"go", "gox", 0, E},
		{"go1", "go1.1", -1, -1},
		{"go1.5", "go1.6", -1, -1},
		{"go1.5", "go1.10", -1, -1},
		{"go1.6", "go1.6.1", -1, -1},
		{"go1.19", "go1.19.0", 0, 0},
		{"go1.19rc1", "go1.19", -1, -1},
		{"go1.20", "go1.20.0", 0, 0},
		{"go1.20rc1", "go1.20", -1, -1},
		{"go1.21", "go1.21.0", -1, 0},  /* gover: 1.21 is the language version */
		{"go1.21", "go1.21rc1", -1, 1}, /* likewise */
		{"go1.21rc1", "go1.21.0", -1, -1},
		{"go1.6", "go1.19", -1, -1},
		{"go1.19", "go1.19.1", -1, -1},
		{"go1.19rc1", "go1.19.1", -1, -1},
		{"go1.19rc1", "go1.19rc2", -1, -1},
		{"go1.19.0", "go1.19.1", -1, -1},
		{"go1.19rc1", "go1.19.0", -1, -1},
		{"go1.19alpha3", "go1.19beta2", -1, E}, /* GoTagToSemver knows beta, rc, -pre */
		{"go1.19beta2", "go1.19rc1", -1, -1},
		{"go1.1", "go1.99999999999999998", -1, -1},
		{"go1.99999999999999998", "go1.99999999999999999", -1, -1},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(rows); i++) {
		int got = compare(&cs_version_gostd, rows[i].x, rows[i].y);

		if (got != rows[i].ours) {
			fprintf(stderr, "  gostd: '%s' vs '%s': got %s, want %s (gover: %s)\n", rows[i].x, rows[i].y,
				answer_str(got), answer_str(rows[i].ours), answer_str(rows[i].gover));
			test_failures++;
		}
	}
}

/* Megabyte versions: linear work, no overflow, the right answer. */
TEST(long_inputs)
{
	/* "1" and a million zeros, against "9" and one zero fewer */
	char *a = repeat("1", "0", MB + 1, ".0.0"), *b = repeat("9", "0", MB, ".0.0");
	/* a million zeros then "1": NuGet's Int32.TryParse skips them */
	char *z = repeat("", "0", MB, "1.2");
	/* a long pre-release made of many short identifiers */
	char *pre = repeat("1.0.0-", "a.", MB - 2, "b");
	cs_err err;
	int out;

	cs_err_clear(&err);
	CHECK_INT(cs_version_semver.cmp(a, "1.0.0", &out, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "...") != NULL); /* the message quotes a truncated copy */
	CHECK(strlen(err.msg) < 200);
	check_long(&cs_version_cargo, a, "1.0.0", E);
	check_long(&cs_version_go, a, b, 1);
	check_long(&cs_version_gostd, a, b, 1);
	check_long(&cs_version_go, a, a, 0);
	check_long(&cs_version_nuget, z, "1.2", 0);
	check_long(&cs_version_nuget, a, "1.2", E);
	check_long(&cs_version_cargo, pre, "1.0.0-a", 1);
	check_long(&cs_version_go, pre, "1.0.0-a.a", 1);
	check_long(&cs_version_nuget, pre, "1.0.0-A.A", 1);
	check_long(&cs_version_semver, pre, "1.0.0-a", E);
	free(a);
	free(b);
	free(z);
	free(pre);
}

TEST_MAIN(TEST_ENTRY(semver_cases), TEST_ENTRY(semver_length_cap), TEST_ENTRY(cargo_cases), TEST_ENTRY(go_cases), TEST_ENTRY(gostd_cases), TEST_ENTRY(gostd_gover_vectors),
	  TEST_ENTRY(nuget_cases), TEST_ENTRY(semver_reference), TEST_ENTRY(cargo_reference),
	  TEST_ENTRY(go_reference), TEST_ENTRY(gostd_reference), TEST_ENTRY(nuget_reference),
	  TEST_ENTRY(long_inputs))
