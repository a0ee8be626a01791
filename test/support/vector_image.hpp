// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_VECTOR_IMAGE_HPP
#define ZEROBUFFER_TEST_SUPPORT_VECTOR_IMAGE_HPP

// Helpers for tests that work on whole segment images: aligned byte storage,
// loading the golden images of /work/shared/vectors, masking process ids and
// describing the first difference between two images.

#include <zerobuffer/protocol/layout.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace zerobuffer::test_support {

/// Zeroed bytes whose start is 64-byte aligned, as a mapped segment's is.
class aligned_bytes {
public:
    explicit aligned_bytes(std::size_t size) : lines_((size + 63) / 64), size_(size) {}

    std::byte* data() noexcept { return lines_.empty() ? nullptr : lines_.front().bytes; }
    const std::byte* data() const noexcept
    {
        return lines_.empty() ? nullptr : lines_.front().bytes;
    }
    std::size_t size() const noexcept { return size_; }
    std::span<std::byte> span() noexcept { return {data(), size_}; }
    std::span<const std::byte> span() const noexcept { return {data(), size_}; }

private:
    struct alignas(64) line {
        std::byte bytes[64] = {};
    };
    std::vector<line> lines_;
    std::size_t size_;
};

/// The directory of the golden images: $ZEROBUFFER_VECTORS_DIR if set, else the
/// path compiled in.
inline std::filesystem::path vectors_dir()
{
    if (const char* env = std::getenv("ZEROBUFFER_VECTORS_DIR"); env != nullptr && *env != 0) {
        return env;
    }
#ifdef ZEROBUFFER_VECTORS_DIR
    return ZEROBUFFER_VECTORS_DIR;
#else
    throw std::runtime_error("ZEROBUFFER_VECTORS_DIR is neither defined nor set");
#endif
}

/// Reads a whole file; throws when it cannot.
inline std::vector<std::byte> read_file_bytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open " + path.string());
    }
    const std::vector<char> chars((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    std::vector<std::byte> bytes(chars.size());
    std::memcpy(bytes.data(), chars.data(), chars.size());
    return bytes;
}

/// Loads the image `file_name` of the vectors directory into aligned storage.
inline aligned_bytes load_image(const std::string& file_name)
{
    const auto bytes = read_file_bytes(vectors_dir() / file_name);
    aligned_bytes image(bytes.size());
    std::memcpy(image.data(), bytes.data(), bytes.size());
    return image;
}

/// The byte range of the two pid fields of the OIEB (writer_pid, reader_pid).
inline constexpr std::size_t pid_fields_begin = protocol::oieb_offset::writer_pid;
inline constexpr std::size_t pid_fields_end = protocol::oieb_offset::reserved;

/// Zeroes writer_pid and reader_pid (bytes 80..95), which vary between runs.
inline void mask_pids(std::span<std::byte> image) noexcept
{
    const auto end = std::min(image.size(), pid_fields_end);
    for (std::size_t i = pid_fields_begin; i < end; ++i) {
        image[i] = std::byte{0};
    }
}

/// A little-endian u64 at `offset`, assembled byte by byte.
inline std::uint64_t read_le64(std::span<const std::byte> bytes, std::size_t offset)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        v |= std::uint64_t{std::to_integer<std::uint8_t>(bytes[offset + i])} << (8 * i);
    }
    return v;
}

/// A little-endian u32 at `offset`, assembled byte by byte.
inline std::uint32_t read_le32(std::span<const std::byte> bytes, std::size_t offset)
{
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        v |= std::uint32_t{std::to_integer<std::uint8_t>(bytes[offset + i])} << (8 * i);
    }
    return v;
}

/// Writes a little-endian u64 at `offset`, byte by byte.
inline void write_le64(std::span<std::byte> bytes, std::size_t offset, std::uint64_t v)
{
    for (std::size_t i = 0; i < 8; ++i) {
        bytes[offset + i] = static_cast<std::byte>((v >> (8 * i)) & 0xffU);
    }
}

/// Where `offset` lies in a segment with a metadata block of `metadata_size`
/// bytes: an OIEB field name, or a block and the offset inside it.
inline std::string describe_offset(std::size_t offset, std::uint64_t metadata_size)
{
    static constexpr const char* fields[] = {
        "oieb_size/version",      "metadata_size",    "metadata_free_bytes",
        "metadata_written_bytes", "payload_size",     "payload_free_bytes",
        "payload_write_pos",      "payload_read_pos", "payload_written_count",
        "payload_read_count",     "writer_pid",       "reader_pid",
    };
    std::ostringstream out;
    if (offset < protocol::oieb_size) {
        const std::size_t field = offset / 8;
        out << "OIEB " << (field < std::size(fields) ? fields[field] : "reserved") << " (byte "
            << offset << ")";
    } else if (offset < protocol::oieb_size + metadata_size) {
        out << "metadata block +" << offset - protocol::oieb_size;
    } else {
        out << "ring +" << offset - protocol::oieb_size - metadata_size;
    }
    return out.str();
}

/// Hex dump of `bytes[from, from + count)` clipped to the span, one line.
inline std::string hex_line(std::span<const std::byte> bytes, std::size_t from, std::size_t count)
{
    std::ostringstream out;
    out << std::hex << std::setfill('0');
    for (std::size_t i = from; i < std::min(bytes.size(), from + count); ++i) {
        out << std::setw(2) << std::to_integer<unsigned>(bytes[i])
            << (i + 1 < from + count ? " " : "");
    }
    return out.str();
}

/// Empty when both images are equal; else a description of the first differing
/// byte (where it lies, both values, a hex dump of the 32 bytes around it) and the
/// number of differing bytes.
inline std::string first_difference(std::span<const std::byte> expected,
                                    std::span<const std::byte> actual,
                                    std::uint64_t metadata_size = 1024)
{
    std::ostringstream out;
    if (expected.size() != actual.size()) {
        out << "sizes differ: expected " << expected.size() << ", actual " << actual.size() << "; ";
    }
    const std::size_t n = std::min(expected.size(), actual.size());
    const auto mismatch = std::mismatch(
        expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(n), actual.begin());
    if (mismatch.first == expected.begin() + static_cast<std::ptrdiff_t>(n)) {
        return out.str();
    }
    const auto first = static_cast<std::size_t>(mismatch.first - expected.begin());
    std::size_t count = 0;
    for (std::size_t i = first; i < n; ++i) {
        count += expected[i] != actual[i] ? 1 : 0;
    }
    const std::size_t from = first & ~std::size_t{15};
    const std::size_t line_start = from >= 16 ? from - 16 : 0;
    out << count << " byte(s) differ; first at offset " << first << " ("
        << describe_offset(first, metadata_size) << "): expected 0x" << std::hex
        << std::to_integer<unsigned>(expected[first]) << ", actual 0x"
        << std::to_integer<unsigned>(actual[first]) << std::dec << "\n  expected @" << line_start
        << ": " << hex_line(expected, line_start, 48) << "\n  actual   @" << line_start << ": "
        << hex_line(actual, line_start, 48);
    return out.str();
}

/// `first_difference` of two images after masking their pid fields.
inline std::string first_difference_masked(std::span<const std::byte> expected,
                                           std::span<const std::byte> actual,
                                           std::uint64_t metadata_size = 1024)
{
    std::vector<std::byte> e(expected.begin(), expected.end());
    std::vector<std::byte> a(actual.begin(), actual.end());
    mask_pids(e);
    mask_pids(a);
    return first_difference(e, a, metadata_size);
}

} // namespace zerobuffer::test_support

#endif // ZEROBUFFER_TEST_SUPPORT_VECTOR_IMAGE_HPP
