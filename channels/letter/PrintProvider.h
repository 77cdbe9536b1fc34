// Where letters go to be printed and posted. The default provider is PrintFolder: one folder per
// day under [print] dir with the PDFs and a manifest CSV that a print shop (or a person with a
// printer) picks up. A real print API would be another PrintProvider.
//
// PrintFolder::submit() writes <dir>/<day>/<fileName> and then the day's manifest.csv
// (header: file,dossier,recipient,address,pages,sha256), each durably: a temporary file in the same
// folder, fsync, rename, fsync of the folder. Submitting the same file name again replaces the PDF
// with the same bytes and does not add a second manifest line (idempotent resend). Names are built
// by duegate ([A-Za-z0-9._-] only); anything else is refused as Failed.
// Errors: the folder cannot be written -> Retry (an operator can fix it).
// Thread-safety: submit() may run concurrently; the manifest is updated under a lock (a mutex in
// the process and flock() on <day>/.manifest.lock between processes).
#pragma once

#include "channels/Delivery.h"

#include <string>

namespace duegate::channels {

struct PrintJob {
    std::string day;            // "YYYY-MM-DD": the folder
    std::string fileName;       // "D2026-000001-17.pdf"
    std::string pdf;
    int pages = 0;
    std::string dossier;        // the dossier reference
    std::string recipientName;
    std::string address;        // one line: "Street 1, 1000 Brussel, BE"
};

class PrintProvider {
public:
    virtual ~PrintProvider() = default;
    virtual DeliveryResult submit(const PrintJob& job) = 0;
};

class PrintFolder final : public PrintProvider {
public:
    explicit PrintFolder(std::string dir) : _dir(std::move(dir)) {}
    // Delivered.providerId is the PDF's path.
    DeliveryResult submit(const PrintJob& job) override;

private:
    std::string _dir;
};

// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF.
std::string csvField(const std::string& value);

}  // namespace duegate::channels
