// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Built against an installed zerobuffer: proves that the headers, the module
// libraries zerobuffer::core and zerobuffer::testing and the package config work
// together. Exits non-zero on a wrong result.

#include <zerobuffer/protocol/layout.hpp>
#include <zerobuffer/testing/buffer_naming_service.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <cstddef>
#include <iostream>
#include <string>

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

    // Compiled code of the core: validate_name lives in libzerobuffer_core.
    check(!zerobuffer::validate_name("consumer_buffer"), "a plain name is valid");
    check(static_cast<bool>(zerobuffer::validate_name("")), "the empty name is invalid");
    check(static_cast<bool>(zerobuffer::validate_name("a/b")), "a name with '/' is invalid");

    // Compiled code of the testing module (libzerobuffer_testing): the shared
    // frame pattern and the unique names.
    using zerobuffer::testing::test_data_patterns;
    const auto frame = test_data_patterns::frame_data(300, 7);
    check(frame.size() == 300, "frame_data(300, 7) has 300 bytes");
    check(frame.size() > 250 && frame[250] == std::byte{1}, "byte 250 of frame 7 is 1");
    check(test_data_patterns::verify_frame(frame, 7), "frame 7 verifies");
    check(test_data_patterns::first_frame_mismatch(frame, 8) == 0, "frame 7 is not frame 8");

    zerobuffer::testing::buffer_naming_service names;
    const std::string name = names.get_buffer_name("consumer");
    check(name.rfind("consumer_", 0) == 0, "a unique name starts with its base");
    check(names.get_buffer_name("consumer") == name, "the same base gives the same name");
    check(!zerobuffer::validate_name(name), "a unique name is a valid buffer name");

    if (failures == 0) {
        std::cout << "install_consumer: ok\n";
    }
    return failures == 0 ? 0 : 1;
}
