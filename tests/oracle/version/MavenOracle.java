/*
 * MavenOracle.java - reference for the "maven" scheme
 * (tests/oracle/version.sh maven).
 *
 * Maven's own org.apache.maven.artifact.versioning.ComparableVersion, from
 * the maven-artifact jar of Debian's maven package, compares each pair in
 * one JVM. Reads "A<TAB>B" lines on stdin (split on '\n' only, decoded as
 * UTF-8) and prints -1, 0 or 1 per line: ComparableVersion accepts every
 * string, so there is no E.
 */
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenOracle {
	public static void main(String[] args) throws IOException {
		InputStream in = System.in;
		ByteArrayOutputStream buf = new ByteArrayOutputStream();
		byte[] chunk = new byte[1 << 16];
		int n;
		while ((n = in.read(chunk)) > 0)
			buf.write(chunk, 0, n);
		String all = new String(buf.toByteArray(), StandardCharsets.UTF_8);
		StringBuilder out = new StringBuilder();
		int start = 0;
		while (start < all.length()) {
			int end = all.indexOf('\n', start);
			if (end < 0)
				end = all.length();
			String line = all.substring(start, end);
			start = end + 1;
			int tab = line.indexOf('\t');
			String a = tab < 0 ? line : line.substring(0, tab);
			String b = tab < 0 ? "" : line.substring(tab + 1);
			int c = new ComparableVersion(a).compareTo(new ComparableVersion(b));
			out.append(Integer.signum(c)).append('\n');
		}
		System.out.print(out);
		System.out.flush();
	}
}
