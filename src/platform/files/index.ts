// The file store: content-addressed (SHA-256), size-limited, type-sniffed, written atomically.
export { EmptyFile, FileNotFound, FileTooLarge, FileTypeNotAllowed } from "./errors.ts";
export { createLocalBackend, createLocalFileStore, localBlobPath } from "./local.ts";
export { sniffContentType } from "./sniff.ts";
export {
  type BlobBackend,
  createFileStore,
  DEFAULT_ALLOWED_TYPES,
  type FileStore,
  type PutOptions,
  type StagedBlob,
  type StoredFile,
} from "./store.ts";
