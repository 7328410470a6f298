# gem.rb - reference for the "gem" scheme (tests/oracle/version.sh gem).
#
# Debian's RubyGems (package ruby), Gem::Version#<=>, compares each pair.
# Reads "A<TAB>B" lines on stdin and prints -1, 0, 1, or E where
# Gem::Version.correct? refuses A or B (Gem::Version.new would raise
# "Malformed version number string"). Input bytes are read as UTF-8; a
# string that is not valid UTF-8 makes the pattern match raise, also E.
STDIN.binmode
out = []
cache = {}
parse = lambda do |s|
  return cache[s] if cache.key?(s)
  s = s.dup.force_encoding(Encoding::UTF_8)
  v = begin
    Gem::Version.correct?(s) ? Gem::Version.new(s) : nil
  rescue StandardError
    nil
  end
  cache[s] = v
end
STDIN.each_line("\n") do |line|
  line = line.chomp("\n")
  a, b = line.split("\t", 2)
  a ||= ""
  b ||= ""
  va = parse.call(a)
  vb = parse.call(b)
  if va.nil? || vb.nil?
    out << "E"
  else
    c = va <=> vb
    out << (c.nil? ? "E" : c.to_s)
  end
end
STDOUT.write(out.map { |x| x + "\n" }.join)
