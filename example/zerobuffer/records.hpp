// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_RECORDS_HPP
#define ZEROBUFFER_TOOL_RECORDS_HPP

// Frames in files: `read --output` writes them, `write --input` sends them.
// Two layouts:
//   raw             the frames' bytes back to back (frame boundaries are lost);
//   length-prefixed each frame as an 8-byte little-endian length, then its bytes.
// `write --input` reads length-prefixed records, or with --record-size N cuts
// the file into N-byte chunks (the last one may be shorter).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace zerobuffer::tool {

/// A stdio file we own ("-" is stdin or stdout, which we do not close).
class file_handle {
public:
    /// Opens `path` for reading or writing; throws std::runtime_error.
    static file_handle open(const std::string& path, bool for_writing);

    file_handle(file_handle&& other) noexcept;
    file_handle& operator=(file_handle&& other) = delete;
    ~file_handle();

    std::FILE* get() const noexcept { return file_; }
    const std::string& path() const noexcept { return path_; }

    /// Flushes and closes; throws on a write error (e.g. a full disk).
    void close();

private:
    file_handle() = default;

    std::vector<char> buffer_; // the FILE's buffer, for files we open
    std::FILE* file_ = nullptr;
    bool owned_ = false;
    std::string path_;
};

/// Writes frames to a file, raw or length-prefixed.
class record_writer {
public:
    record_writer(file_handle file, bool length_prefixed);
    void write(std::span<const std::byte> data);
    void close() { file_.close(); }

private:
    file_handle file_;
    bool length_prefixed_;
};

/// Reads records from a file: length-prefixed, or chunks of `record_size`
/// bytes when it is not 0.
class record_reader {
public:
    record_reader(file_handle file, std::uint64_t record_size);

    /// The next record, or false at the end of the file. Throws
    /// std::runtime_error for a truncated record or an empty one.
    bool next(std::vector<std::byte>& out);

    std::uint64_t records() const noexcept { return records_; }

private:
    file_handle file_;
    std::uint64_t record_size_;
    std::uint64_t records_ = 0;
};

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_RECORDS_HPP
