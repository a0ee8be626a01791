// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Built against an installed zerobuffer: proves that the headers, the library
// and the package config work together. Exits non-zero on a wrong result.

#include <zerobuffer/zerobuffer.hpp>

#include <iostream>

int main()
{
    int failures = 0;
    const auto check = [&failures](bool ok, const char* what) {
        if (!ok) {
            std::cerr << "install_consumer: FAILED: " << what << '\n';
            ++failures;
        }
    };

    const auto layout = zerobuffer::protocol::make_layout(1000, 4096);
    check(layout.has_value(), "make_layout(1000, 4096) has a value");
    if (layout) {
        check(layout->metadata_size == 1024, "metadata rounded up to 1024");
        check(layout->payload_size == 4096, "payload stays 4096");
        check(layout->payload_offset() == 1152, "payload offset 1152");
        check(layout->segment_size() == 5248, "segment size 5248");
    }
    check(!zerobuffer::protocol::make_layout(64, 0).has_value(), "payload 0 is rejected");

    // Compiled code of the library: validate_name lives in libzerobuffer.
    check(!zerobuffer::validate_name("consumer_buffer"), "a plain name is valid");
    check(static_cast<bool>(zerobuffer::validate_name("")), "the empty name is invalid");
    check(static_cast<bool>(zerobuffer::validate_name("a/b")), "a name with '/' is invalid");

    if (failures == 0) {
        std::cout << "install_consumer: ok\n";
    }
    return failures == 0 ? 0 : 1;
}
