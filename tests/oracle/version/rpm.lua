-- rpm.lua - reference ordering for the "rpm" scheme (tests/oracle/version.sh rpm).
--
-- Run inside rpm itself, one process for all pairs:
--   rpm --eval "%{lua: dofile('tests/oracle/version/rpm.lua')}" < pairs
-- Reads "A<TAB>B" lines on stdin and writes -1, 0, 1 or E per line:
-- rpm.vercmp(A, B) (rpm >= 4.16: rpmverParse() + rpmverCmp(), full
-- [epoch:]version[-release] strings), E where it raises an error (an empty
-- version). Written with io.write so that nothing goes through macro
-- expansion; the caller drops the empty line rpm --eval prints at the end.
for line in io.lines() do
  local a, b = line:match("^(.-)\t(.*)$")
  if not a then a, b = line, "" end
  local ok, r = pcall(rpm.vercmp, a, b)
  if ok then
    io.write(r < 0 and "-1\n" or r > 0 and "1\n" or "0\n")
  else
    io.write("E\n")
  end
end
io.stdout:flush()
