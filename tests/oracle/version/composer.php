<?php
/*
 * composer.php - reference for the "composer" scheme
 * (tests/oracle/version.sh composer).
 *
 * Debian's php-composer-semver: each version goes through
 * VersionParser::normalize() (a refusal, UnexpectedValueException, prints
 * E), then the normalized pair is ordered with Constraint::versionCompare()
 * as Composer matches a package version against a constraint (branches not
 * comparable, i.e. $compareBranches = false): 0 when '==' holds, -1 for
 * '<', 1 for '>', and E when none holds, which happens exactly when one
 * side is a dev-* branch and the two are not the same branch. The numeric
 * comparison underneath is PHP's own version_compare().
 *
 * Reads "A<TAB>B" lines on stdin, prints -1, 0, 1 or E per line.
 */
$autoload = getenv('COMPOSER_SEMVER_AUTOLOAD') ?: '/usr/share/php/Composer/Semver/autoload.php';
require $autoload;

use Composer\Semver\Constraint\Constraint;
use Composer\Semver\VersionParser;

$parser = new VersionParser();
$any = new Constraint('==', '1.0.0.0');
$cache = array();
$norm = function ($s) use ($parser, &$cache) {
	if (array_key_exists($s, $cache))
		return $cache[$s];
	try {
		$n = $parser->normalize($s);
	} catch (\Throwable $e) {
		$n = null;
	}
	return $cache[$s] = $n;
};
$out = '';
while (($line = fgets(STDIN)) !== false) {
	if (substr($line, -1) === "\n")
		$line = substr($line, 0, -1);
	$parts = explode("\t", $line, 2);
	$a = $norm($parts[0]);
	$b = $norm(isset($parts[1]) ? $parts[1] : '');
	if ($a === null || $b === null)
		$out .= "E\n";
	elseif ($any->versionCompare($a, $b, '=='))
		$out .= "0\n";
	elseif ($any->versionCompare($a, $b, '<'))
		$out .= "-1\n";
	elseif ($any->versionCompare($a, $b, '>'))
		$out .= "1\n";
	else
		$out .= "E\n";
}
fwrite(STDOUT, $out);
