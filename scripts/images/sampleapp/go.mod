// The require block is appended by build-images.sh from the versions of the
// Debian packages it vendors (golang-golang-x-net-dev, golang-golang-x-text-dev).
module customs.example/sampleapp

go 1.19
