# -*- encoding: utf-8 -*-
Gem::Specification.new do |spec|
=begin
  spec.name = "no"
=end
  spec.name = %q{caf\u00e9}
  spec.version = Gem::Version.new("1.0 ")
  spec.licenses = %w[MIT Ruby]
  spec.license = "\x41\u{42 43}".freeze # c
end
