#pragma once
// A throwaway certificate authority and a server certificate it signed, made fresh in memory
// for tests of TLS: serve an emulator over HTTPS and check that the client trusts it only when
// the CA is added (HttpClient's caFile), never with verification turned off.

#include <string>

namespace sluice::emu {

struct TestCertificates
{
    std::string caPem;         // the CA's certificate: what a client adds to its trusted set
    std::string serverCertPem; // the server's certificate, signed by the CA
    std::string serverKeyPem;  // the server's private key (PKCS#8 PEM)
};

// A P-256 CA and a server certificate for `host` (an IP address or a DNS name, put in the
// subjectAltName), valid from an hour ago for a day. Throws std::runtime_error if OpenSSL fails.
TestCertificates makeTestCertificates(const std::string &host = "127.0.0.1");

} // namespace sluice::emu
