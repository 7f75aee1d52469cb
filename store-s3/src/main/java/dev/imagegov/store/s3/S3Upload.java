package dev.imagegov.store.s3;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.HashAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One write's way into S3: it collects the chunks a {@link dev.imagegov.spi.blob.BlobTransfer}
 * hands it into parts of at least {@link S3BlobStoreOptions#partSize()}, uploads each full part
 * on the store's upload threads (at most {@link S3BlobStoreOptions#partsInFlight()} at once; the
 * writer waits for a free slot before it fills another), and at the end either puts a blob that
 * fit in one part with a single conditional {@code PUT}, or uploads the last part and completes
 * the multipart upload. Every part and every single {@code PUT} carries its {@code Content-MD5},
 * which the service verifies; the ETags it answers are checked against the same digests where
 * they have S3's form. {@link #abort()} waits for the parts still uploading and aborts the
 * multipart upload, so a failed write leaves neither an object nor an upload behind. Used by one
 * writer thread.
 */
final class S3Upload {
  private static final System.Logger LOG = System.getLogger(S3Upload.class.getName());
  private static final Pattern PLAIN_ETAG = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern MULTIPART_ETAG = Pattern.compile("[0-9a-f]{32}-[0-9]+");
  private static final String OCTETS = "application/octet-stream";

  private final S3Client client;
  private final String storeName;
  private final String bucket;
  private final String objectKey;
  private final int partSize;
  private final ExecutorService uploads;
  private final Semaphore slots;
  /** Bytes held by this write's parts (filling and uploading), for the store's peak gauge. */
  private final AtomicLong held;
  private final AtomicLong peak;

  private final List<byte[]> chunks = new ArrayList<>();
  private final List<Integer> lengths = new ArrayList<>();
  private long filled;
  private @Nullable String uploadId;
  private final List<Future<UploadedPart>> parts = new ArrayList<>();

  S3Upload(
      S3Client client,
      String storeName,
      String bucket,
      String objectKey,
      S3BlobStoreOptions options,
      ExecutorService uploads,
      AtomicLong peak) {
    this.client = client;
    this.storeName = storeName;
    this.bucket = bucket;
    this.objectKey = objectKey;
    this.partSize = options.partSize();
    this.uploads = uploads;
    this.slots = new Semaphore(options.partsInFlight());
    this.held = new AtomicLong();
    this.peak = peak;
  }

  /** A part handed to an upload thread: its number, chunks and size. */
  private record Part(int number, List<byte[]> chunks, List<Integer> lengths, long size) {
    InputStream open() {
      List<InputStream> streams = new ArrayList<>(chunks.size());
      for (int i = 0; i < chunks.size(); i++) {
        streams.add(new ByteArrayInputStream(chunks.get(i), 0, lengths.get(i)));
      }
      return new SequenceInputStream(Collections.enumeration(streams));
    }

    byte[] md5() {
      MessageDigest md5 = HashAlgorithm.MD5.newDigest();
      for (int i = 0; i < chunks.size(); i++) {
        md5.update(chunks.get(i), 0, lengths.get(i));
      }
      return md5.digest();
    }
  }

  /** A part the service stored, with the MD5 it was sent with. */
  private record UploadedPart(CompletedPart part, byte[] md5) {}

  /**
   * Takes a chunk (keeping its array): first sends the part collected so far if it is full, so a
   * blob of at most one part is never a multipart upload.
   *
   * @return {@code true}: the upload keeps the array until its part is sent
   */
  boolean accept(byte[] chunk, int length) throws IOException {
    failIfAPartFailed();
    if (filled >= partSize) {
      sendPart();
    }
    chunks.add(chunk);
    lengths.add(length);
    filled += length;
    hold(length);
    return true;
  }

  /**
   * Stores the blob: one conditional {@code PUT} if it never filled a part, else its last part
   * and the completion of the multipart upload. The key must not hold an object ({@code
   * If-None-Match: *}, where the service supports it).
   *
   * @return the object's ETag
   * @throws BlobExistsException if the service reports that the key holds an object
   * @throws IOException if a part or the completion fails, or an ETag contradicts the data sent
   */
  String complete(BlobDigester.Digests digests) throws IOException {
    if (uploadId == null) {
      return put(digests);
    }
    if (filled > 0) {
      sendPart();
    }
    List<UploadedPart> done = new ArrayList<>();
    for (Future<UploadedPart> f : parts) {
      done.add(result(f));
    }
    MessageDigest md5s = HashAlgorithm.MD5.newDigest();
    List<CompletedPart> completed = new ArrayList<>();
    for (UploadedPart p : done) {
      completed.add(p.part());
      md5s.update(p.md5());
    }
    CompleteMultipartUploadResponse response;
    try {
      response =
          client.completeMultipartUpload(
              CompleteMultipartUploadRequest.builder()
                  .bucket(bucket)
                  .key(objectKey)
                  .uploadId(uploadId)
                  .ifNoneMatch("*")
                  .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                  .build());
    } catch (SdkException e) {
      if (S3Failures.preconditionFailed(e)) {
        throw new BlobExistsException(
            "S3 blob store " + storeName + ": object " + objectKey + " exists in bucket " + bucket);
      }
      throw S3Failures.io(storeName, "completing the upload of " + objectKey, e);
    }
    String etag = unquote(response.eTag());
    String expected = HexFormat.of().formatHex(md5s.digest()) + "-" + done.size();
    if (MULTIPART_ETAG.matcher(etag).matches() && !etag.equals(expected)) {
      // The object is visible but not what was sent: remove it before failing.
      deleteQuietly();
      throw new IOException(
          "S3 blob store " + storeName + ": the service stored " + objectKey + " with ETag "
              + etag + ", not the " + expected + " of the parts sent; the object was removed");
    }
    uploadId = null;
    return etag;
  }

  private String put(BlobDigester.Digests digests) throws IOException {
    Part part = new Part(0, List.copyOf(chunks), List.copyOf(lengths), filled);
    byte[] md5 = HexFormat.of().parseHex(digests.checksum());
    PutObjectResponse response;
    try {
      response =
          client.putObject(
              PutObjectRequest.builder()
                  .bucket(bucket)
                  .key(objectKey)
                  .ifNoneMatch("*")
                  .contentLength(part.size())
                  .contentType(OCTETS)
                  .contentMD5(Base64.getEncoder().encodeToString(md5))
                  .build(),
              RequestBody.fromContentProvider(part::open, part.size(), OCTETS));
    } catch (SdkException e) {
      if (S3Failures.preconditionFailed(e)) {
        throw new BlobExistsException(
            "S3 blob store " + storeName + ": object " + objectKey + " exists in bucket " + bucket);
      }
      throw S3Failures.io(storeName, "putting " + objectKey, e);
    }
    String etag = unquote(response.eTag());
    if (PLAIN_ETAG.matcher(etag).matches() && !etag.equals(digests.checksum())) {
      deleteQuietly();
      throw new IOException(
          "S3 blob store " + storeName + ": the service stored " + objectKey + " with ETag "
              + etag + ", not the MD5 " + digests.checksum() + " of the data sent; the object was"
              + " removed");
    }
    return etag;
  }

  /**
   * Undoes a failed write: waits for the parts still uploading, then aborts the multipart upload
   * (if one was started), so that the service keeps no part of it. Never throws; a failure to
   * abort is logged and returned, for the caller to attach to its own failure.
   */
  @Nullable Exception abort() {
    for (Future<UploadedPart> f : parts) {
      try {
        Uninterruptibles.getUninterruptibly(f);
      } catch (ExecutionException | RuntimeException e) {
        // The write failed anyway; the abort below removes whatever the part left.
      }
    }
    parts.clear();
    release();
    String id = uploadId;
    if (id == null) {
      return null;
    }
    uploadId = null;
    try {
      client.abortMultipartUpload(
          AbortMultipartUploadRequest.builder().bucket(bucket).key(objectKey).uploadId(id).build());
      return null;
    } catch (SdkException e) {
      if (S3Failures.notFound(e)) {
        return null; // already gone
      }
      LOG.log(
          Level.WARNING,
          "S3 blob store {0}: could not abort the multipart upload {1} of {2}; a bucket lifecycle"
              + " rule (AbortIncompleteMultipartUpload) or S3BlobStore.abortUploadsBefore removes"
              + " it: {3}",
          storeName, id, objectKey, S3Failures.describe(e));
      return S3Failures.io(storeName, "aborting the upload " + id + " of " + objectKey, e);
    }
  }

  /** Releases the bytes this write still holds from the store's gauge. */
  void release() {
    held.set(0);
    chunks.clear();
    lengths.clear();
    filled = 0;
  }

  private void sendPart() throws IOException {
    if (parts.size() >= S3BlobStoreOptions.MAX_PARTS) {
      throw new IOException(
          "S3 blob store " + storeName + ": " + objectKey + " needs more than S3's "
              + S3BlobStoreOptions.MAX_PARTS + " parts of " + partSize + " bytes; configure a"
              + " larger part size");
    }
    if (uploadId == null) {
      try {
        uploadId =
            client
                .createMultipartUpload(
                    CreateMultipartUploadRequest.builder()
                        .bucket(bucket)
                        .key(objectKey)
                        .contentType(OCTETS)
                        .build())
                .uploadId();
      } catch (SdkException e) {
        throw S3Failures.io(storeName, "starting the upload of " + objectKey, e);
      }
    }
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "S3 blob store " + storeName + ": interrupted while writing " + objectKey);
    }
    Part part = new Part(parts.size() + 1, List.copyOf(chunks), List.copyOf(lengths), filled);
    chunks.clear();
    lengths.clear();
    filled = 0;
    String id = uploadId;
    try {
      parts.add(
          uploads.submit(
              () -> {
                try {
                  return upload(id, part);
                } finally {
                  held.addAndGet(-part.size());
                  slots.release();
                }
              }));
    } catch (RejectedExecutionException e) {
      slots.release();
      throw new IOException("S3 blob store " + storeName + " is closed", e);
    }
  }

  private UploadedPart upload(String id, Part part) throws IOException {
    byte[] md5 = part.md5();
    UploadPartResponse response;
    try {
      response =
          client.uploadPart(
              UploadPartRequest.builder()
                  .bucket(bucket)
                  .key(objectKey)
                  .uploadId(id)
                  .partNumber(part.number())
                  .contentLength(part.size())
                  .contentMD5(Base64.getEncoder().encodeToString(md5))
                  .build(),
              RequestBody.fromContentProvider(part::open, part.size(), OCTETS));
    } catch (SdkException e) {
      throw S3Failures.io(storeName, "uploading part " + part.number() + " of " + objectKey, e);
    }
    String etag = unquote(response.eTag());
    String hex = HexFormat.of().formatHex(md5);
    if (PLAIN_ETAG.matcher(etag).matches() && !etag.equals(hex)) {
      throw new IOException(
          "S3 blob store " + storeName + ": the service stored part " + part.number() + " of "
              + objectKey + " with ETag " + etag + ", not the MD5 " + hex + " of the data sent");
    }
    return new UploadedPart(
        CompletedPart.builder().partNumber(part.number()).eTag(response.eTag()).build(), md5);
  }

  /** Fails the write as soon as a part that already finished failed. */
  private void failIfAPartFailed() throws IOException {
    for (Future<UploadedPart> f : parts) {
      if (f.isDone()) {
        result(f);
      }
    }
  }

  private UploadedPart result(Future<UploadedPart> f) throws IOException {
    try {
      return Uninterruptibles.getUninterruptibly(f);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IOException("S3 blob store " + storeName + ": a part upload failed", cause);
    }
  }

  private void hold(long bytes) {
    long now = held.addAndGet(bytes);
    peak.accumulateAndGet(now, Math::max);
  }

  private void deleteQuietly() {
    try {
      client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(objectKey).build());
    } catch (SdkException e) {
      LOG.log(Level.WARNING, "S3 blob store {0}: could not remove {1}: {2}",
          storeName, objectKey, S3Failures.describe(e));
    }
  }

  static String unquote(@Nullable String etag) {
    if (etag == null) {
      return "";
    }
    String e = etag.strip();
    if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
      e = e.substring(1, e.length() - 1);
    }
    return e.toLowerCase(Locale.ROOT);
  }
}
