// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_ATTACH_HPP
#define ZEROBUFFER_TOOL_ATTACH_HPP

// Attaching a writer to a buffer whose reader may still be creating it.

#include <zerobuffer/writer.hpp>

#include <string>

namespace zerobuffer::tool {

/// Constructs a writer, waiting up to `options.connect_timeout` for the reader.
/// Besides `no_reader` (which the library itself retries), a reader caught in
/// the middle of creating the buffer shows an empty segment or an OIEB not
/// filled in yet; those are retried too within the same timeout.
writer attach_writer(const std::string& name, const writer_options& options);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_ATTACH_HPP
