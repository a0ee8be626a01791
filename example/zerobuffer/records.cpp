// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "records.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace zerobuffer::tool {

namespace {

constexpr std::uint64_t max_record_size = std::uint64_t{1} << 40;

std::runtime_error file_error(const std::string& what, const std::string& path, int err)
{
    return std::runtime_error(what + " " + path + ": " + std::strerror(err));
}

} // namespace

file_handle file_handle::open(const std::string& path, bool for_writing)
{
    file_handle h;
    h.path_ = path;
    if (path == "-") {
        h.file_ = for_writing ? stdout : stdin;
        h.path_ = for_writing ? "<stdout>" : "<stdin>";
        return h;
    }
    h.file_ = std::fopen(path.c_str(), for_writing ? "wb" : "rb");
    if (h.file_ == nullptr) {
        throw file_error("cannot open", path, errno);
    }
    h.owned_ = true;
    h.buffer_.resize(1 << 20);
    std::setvbuf(h.file_, h.buffer_.data(), _IOFBF, h.buffer_.size());
    return h;
}

file_handle::file_handle(file_handle&& other) noexcept
    : buffer_(std::move(other.buffer_)), file_(std::exchange(other.file_, nullptr)),
      owned_(std::exchange(other.owned_, false)), path_(std::move(other.path_))
{
}

file_handle::~file_handle()
{
    if (file_ == nullptr) {
        return;
    }
    if (owned_) {
        std::fclose(file_);
    } else {
        std::fflush(file_);
    }
}

void file_handle::close()
{
    if (file_ == nullptr) {
        return;
    }
    std::FILE* f = std::exchange(file_, nullptr);
    bool failed = std::fflush(f) != 0 || std::ferror(f) != 0;
    const int err = errno;
    if (owned_ && std::fclose(f) != 0) {
        failed = true;
    }
    if (failed) {
        throw file_error("cannot write", path_, err);
    }
}

record_writer::record_writer(file_handle file, bool length_prefixed)
    : file_(std::move(file)), length_prefixed_(length_prefixed)
{
}

void record_writer::write(std::span<const std::byte> data)
{
    std::FILE* f = file_.get();
    if (length_prefixed_) {
        std::uint64_t n = data.size();
        unsigned char prefix[8];
        for (int i = 0; i < 8; ++i) {
            prefix[i] = static_cast<unsigned char>(n & 0xffU);
            n >>= 8;
        }
        if (std::fwrite(prefix, 1, sizeof prefix, f) != sizeof prefix) {
            throw file_error("cannot write", file_.path(), errno);
        }
    }
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size()) {
        throw file_error("cannot write", file_.path(), errno);
    }
}

record_reader::record_reader(file_handle file, std::uint64_t record_size)
    : file_(std::move(file)), record_size_(record_size)
{
}

bool record_reader::next(std::vector<std::byte>& out)
{
    std::FILE* f = file_.get();
    std::uint64_t size = record_size_;
    if (record_size_ == 0) {
        unsigned char prefix[8];
        const std::size_t got = std::fread(prefix, 1, sizeof prefix, f);
        if (got == 0 && std::feof(f)) {
            return false;
        }
        if (got != sizeof prefix) {
            throw std::runtime_error(file_.path() + ": truncated length prefix of record " +
                                     std::to_string(records_ + 1) +
                                     " (is it a length-prefixed file? see --record-size)");
        }
        size = 0;
        for (int i = 7; i >= 0; --i) {
            size = (size << 8) | prefix[i];
        }
        if (size == 0 || size > max_record_size) {
            throw std::runtime_error(file_.path() + ": record " + std::to_string(records_ + 1) +
                                     " has length " + std::to_string(size) +
                                     " (is it a length-prefixed file? see --record-size)");
        }
    }
    out.resize(static_cast<std::size_t>(size));
    const std::size_t got = std::fread(out.data(), 1, out.size(), f);
    if (std::ferror(f)) {
        throw file_error("cannot read", file_.path(), errno);
    }
    if (got != out.size()) {
        if (record_size_ == 0) {
            throw std::runtime_error(file_.path() + ": record " + std::to_string(records_ + 1) +
                                     " is truncated: " + std::to_string(got) + " of " +
                                     std::to_string(size) + " bytes");
        }
        if (got == 0) {
            return false;
        }
        out.resize(got); // the last chunk
    }
    ++records_;
    return true;
}

} // namespace zerobuffer::tool
