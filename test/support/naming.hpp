// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_NAMING_HPP
#define ZEROBUFFER_TEST_SUPPORT_NAMING_HPP

// Buffer names for the tests: unique per test process and call (PROTOCOL.md's
// naming service), so that runs never collide.

#include <zerobuffer/testing/buffer_naming_service.hpp>

#include <string>
#include <string_view>

namespace zerobuffer::test {

/// A unique buffer name starting with `base`.
inline std::string unique_name(std::string_view base)
{
    static testing::buffer_naming_service names;
    return names.get_buffer_name(base);
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_NAMING_HPP
