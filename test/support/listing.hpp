// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_LISTING_HPP
#define ZEROBUFFER_TEST_SUPPORT_LISTING_HPP

// A list of paths (or names) in one string, for a failed check's message.

#include <string>
#include <vector>

namespace zerobuffer::test {

/// Each of `items` after a space; " (none)" when there are none.
inline std::string listed(const std::vector<std::string>& items)
{
    std::string out;
    for (const std::string& item : items) {
        out += ' ' + item;
    }
    return out.empty() ? " (none)" : out;
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_LISTING_HPP
