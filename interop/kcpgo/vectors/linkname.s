// Empty on purpose: an assembly file in the package lets main.go declare the body-less functions
// that //go:linkname binds to kcp-go's unexported FEC encoder and decoder.
