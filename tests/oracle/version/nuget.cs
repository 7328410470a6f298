// nuget.cs - oracle for the "nuget" scheme: NuGet.Versioning itself, as
// shipped inside NuGet.exe 5.8.0 (npm package nuget-exe), run on Debian's
// Mono; compiled by tests/oracle/version.sh.
//
// Reads "A\tB" lines on stdin (UTF-8, split on '\n' only) and prints, per
// line, the sign of VersionComparer.Default.Compare(NuGetVersion A,
// NuGetVersion B) as -1, 0 or 1, or E when NuGetVersion.TryParse rejects
// either. The culture is the invariant one (int.TryParse of release labels
// depends on the culture's negative sign).
using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using NuGet.Versioning;

static class Oracle
{
    static void Main()
    {
        Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
        var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false)).ReadToEnd();
        var lines = input.Split('\n');
        var n = lines.Length;
        if (n > 0 && lines[n - 1].Length == 0)
            n--;
        var sb = new StringBuilder(n * 3);
        for (var i = 0; i < n; i++)
        {
            var line = lines[i];
            var tab = line.IndexOf('\t');
            var a = tab < 0 ? line : line.Substring(0, tab);
            var b = tab < 0 ? "" : line.Substring(tab + 1);
            NuGetVersion va, vb;
            if (!NuGetVersion.TryParse(a, out va) || !NuGetVersion.TryParse(b, out vb))
            {
                sb.Append("E\n");
                continue;
            }
            var c = VersionComparer.Default.Compare(va, vb);
            sb.Append(c < 0 ? "-1\n" : c > 0 ? "1\n" : "0\n");
        }
        var bytes = Encoding.ASCII.GetBytes(sb.ToString());
        var stdout = Console.OpenStandardOutput();
        stdout.Write(bytes, 0, bytes.Length);
        stdout.Flush();
    }
}
