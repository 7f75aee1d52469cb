package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer process with SIGKILL at random moments, reopens its catalog and blob store after
 * each kill and checks that no acknowledged change was lost, that no unacknowledged change is
 * half present and that the indexes agree with a full scan; and, for the uploads the child runs
 * beside (a queued image, its blob, the image stored active with the blob's location and
 * hashes), that every acknowledged upload step holds, that every active image's blob is present,
 * whole and has the image's size and checksum, and that every blob is whole and was tried. The
 * rounds ({@link KillRounds}) are fixed by {@code imagegov.crash.seed} (a new one each run,
 * named in every assertion); one in five kills the writer while it opens the stores, the others
 * once it has acknowledged a change. The number of kills is {@code imagegov.crash.kills} (100 by
 * default).
 */
class FileCatalogCrashTest {
  private static final int THREADS = 4;

  @TempDir Path dir;

  /** What the writers tried and what they were told, per image. */
  private final Map<ImageId, Long> acknowledged = new HashMap<>();
  private final Map<ImageId, Long> attempted = new HashMap<>();
  private final Set<ImageId> deleteAcknowledged = new HashSet<>();
  private final Set<ImageId> deleteAttempted = new HashSet<>();
  /** The uploader's steps tried ({@code q b a}) and acknowledged ({@code Q B A}), per image. */
  private final Map<Character, Set<ImageId>> uploads = new HashMap<>();
  /**
   * Blobs already read whole and verified: a blob is never written again once it is visible,
   * so later rounds check its presence and size only, and a round costs what it adds.
   */
  private final Set<ImageId> verified = new HashSet<>();

  @Test
  void everyAcknowledgedChangeAndUploadSurvivesSigkillAndNothingElseIsHalfPresent() throws Exception {
    int kills = Integer.getInteger("imagegov.crash.kills", 100);
    long seed = Long.getLong("imagegov.crash.seed", System.nanoTime());
    KillRounds rounds = new KillRounds(getClass().getSimpleName(), seed, kills, 250);
    Path home = dir.resolve("catalog");
    for (int round = 0; round < kills; round++) {
      ProcessBuilder writer =
          ChildJvm.builder(CrashWriter.class, home.toString(), Integer.toString(round),
              Integer.toString(THREADS), Long.toString(rounds.childSeed()));
      record(rounds.kill(round, writer, dir.resolve("writer-" + round + ".out")));
      check(home, rounds.when(round));
    }
    System.out.println(rounds.summary());
  }

  private final List<String> output = new ArrayList<>();

  private List<String> mentions(ImageId id) {
    return output.stream().filter(l -> l.contains(id.value())).toList();
  }

  private void record(List<String> lines) {
    output.addAll(lines);
    for (String line : lines) {
      if (KillRounds.isSignal(line)) {
        continue;
      }
      String[] parts = line.split(" ");
      ImageId id = ImageId.of(parts[1]);
      switch (parts[0]) {
        case "i" -> attempted.merge(id, 1L, Math::max);
        case "u" -> attempted.merge(id, Long.parseLong(parts[2]), Math::max);
        case "d" -> deleteAttempted.add(id);
        case "I" -> acknowledged.merge(id, 1L, Math::max);
        case "U" -> acknowledged.merge(id, Long.parseLong(parts[2]), Math::max);
        case "D" -> deleteAcknowledged.add(id);
        case "q", "Q", "b", "B", "a", "A" ->
            uploads.computeIfAbsent(parts[0].charAt(0), c -> new HashSet<>()).add(id);
        default -> throw new AssertionError("unexpected output: " + line);
      }
    }
  }

  /** The parent only reads and reopens; nothing it writes must survive a power loss. */
  private static final FileCatalogOptions CHECK =
      FileCatalogOptions.builder().fsync(false).build();

  private Set<ImageId> uploads(char step) {
    return uploads.getOrDefault(step, Set.of());
  }

  private void check(Path home, String when) throws IOException {
    try (FileCatalog catalog = FileCatalog.open(home, CHECK);
        FileBlobStore blobs = FileBlobStore.open(CrashWriter.BLOB_STORE,
            CrashWriter.blobDirectory(home), FileBlobStoreOptions.builder().fsync(false).build())) {
      Map<ImageId, Image> all = new HashMap<>();
      catalog.forEach(i -> all.put(i.id(), i));
      checkUploads(catalog, blobs, all, when);
      Map<ImageId, Image> live = new HashMap<>(all);
      live.keySet().removeIf(CrashWriter::isUpload);
      // Every acknowledged change is present.
      for (Map.Entry<ImageId, Long> ack : acknowledged.entrySet()) {
        ImageId id = ack.getKey();
        Image image = live.get(id);
        if (deleteAcknowledged.contains(id)) {
          assertThat(image == null).as("%s: acknowledged delete of %s", when, id).isTrue();
          assertThat(catalog.tombstone(id)).as(when).isPresent();
        } else if (image == null) {
          assertThat(deleteAttempted.contains(id))
              .as("%s: %s vanished without a delete", when, id).isTrue();
          assertThat(catalog.tombstone(id)).as(when).isPresent();
        } else {
          assertThat(image.version()).as("%s: version of %s", when, id)
              .isGreaterThanOrEqualTo(ack.getValue());
        }
      }
      // Nothing unacknowledged is half present: every image is a state some writer committed.
      for (Image image : live.values()) {
        assertThat(attempted.containsKey(image.id()))
            .as("%s: %s was stored but never tried; output: %s", when, image.id(),
                mentions(image.id()))
            .isTrue();
        assertThat(image.version()).as("%s: %s is past what was tried", when, image.id())
            .isLessThanOrEqualTo(attempted.get(image.id()));
        assertThat(image).as(when).isEqualTo(CrashWriter.content(image.id(), image.version()));
      }
      for (ImageId id : deleteAttempted) {
        if (!live.containsKey(id)) {
          assertThat(catalog.tombstone(id)).as("%s: %s is neither live nor deleted", when, id)
              .isPresent();
        }
      }
      assertThat(catalog.size()).as(when).isEqualTo(all.size());
      // The indexes agree with a full scan.
      List<Image> scan = new ArrayList<>(all.values());
      for (CatalogQuery query : queries()) {
        assertThat(catalog.query(query)).as("%s: %s", when, query)
            .containsExactlyElementsOf(QueryEvaluator.evaluate(query, scan, catalog::find));
      }
    }
  }

  /**
   * The uploads: each acknowledged step holds, an active image's blob is present, whole and
   * matches it, every blob is whole and was tried. A blob without an active image (the child
   * died between the blob and the catalog) is an orphan, never referenced.
   */
  private void checkUploads(FileCatalog catalog, FileBlobStore blobs, Map<ImageId, Image> all,
      String when) throws IOException {
    for (ImageId id : uploads('Q')) {
      assertThat(all).as("%s: acknowledged queued image %s", when, id).containsKey(id);
    }
    for (ImageId id : uploads('A')) {
      assertThat(all.get(id).status()).as("%s: acknowledged upload %s", when, id)
          .isEqualTo(ImageStatus.ACTIVE);
    }
    Set<ImageId> present = new HashSet<>();
    for (BlobKey key : blobs.keys()) {
      ImageId id = ImageId.of(key.value());
      present.add(id);
      assertThat(uploads('b')).as("%s: blob %s was stored but never tried", when, id)
          .contains(id);
      long size = CrashWriter.blobSize(id);
      assertThat(blobs.size(key)).as("%s: size of blob %s", when, id).hasValue(size);
      if (verified.contains(id)) {
        continue;
      }
      try (InputStream in = blobs.read(key)) {
        assertThat(ByteStream.sameBytes(in,
            ByteStream.of(size, CrashWriter.blobSeed(id)).open()))
            .as("%s: bytes of blob %s", when, id).isTrue();
      }
      assertThat(blobs.verify(key).intact()).as("%s: blob %s verifies", when, id).isTrue();
    }
    for (ImageId id : uploads('B')) {
      assertThat(present).as("%s: acknowledged blob %s", when, id).contains(id);
    }
    for (Image image : all.values()) {
      if (!CrashWriter.isUpload(image.id())) {
        continue;
      }
      ImageId id = image.id();
      assertThat(uploads('q')).as("%s: %s was stored but never tried", when, id).contains(id);
      if (image.status() == ImageStatus.QUEUED) {
        assertThat(image).as(when).isEqualTo(CrashWriter.queued(id));
        continue;
      }
      assertThat(image.status()).as(when).isEqualTo(ImageStatus.ACTIVE);
      assertThat(uploads('a')).as("%s: %s is active but was never stored so", when, id)
          .contains(id);
      BlobKey key = BlobKey.of(id.value());
      assertThat(present).as("%s: the blob of active image %s", when, id).contains(id);
      assertThat(image.locations()).extracting(l -> l.url())
          .as("%s: location of %s", when, id).containsExactly(blobs.url(key));
      assertThat(image.size()).as(when).hasValue(CrashWriter.blobSize(id));
      if (!verified.add(id)) {
        continue;
      }
      BlobVerification checked = blobs.verify(key, new BlobDigester.Digests(
          image.checksum().orElseThrow(), HashAlgorithm.of(image.osHashAlgo().orElseThrow()),
          image.osHashValue().orElseThrow()));
      assertThat(checked.intact()).as("%s: %s", when, checked.detail()).isTrue();
    }
  }

  private static List<CatalogQuery> queries() {
    List<CatalogQuery> queries = new ArrayList<>();
    queries.add(CatalogQuery.builder().seesAll(true).limit(Integer.MAX_VALUE).build());
    for (ProjectId project : CrashWriter.OWNERS) {
      queries.add(CatalogQuery.builder().project(project).limit(Integer.MAX_VALUE).build());
      queries.add(CatalogQuery.builder().project(project).visibility(VisibilityFilter.ALL)
          .memberStatus(Optional.of(MemberStatus.ACCEPTED)).limit(50).build());
      queries.add(CatalogQuery.builder().seesAll(true)
          .addFilters(FieldFilter.eq(ImageField.OWNER, project.value()))
          .addSort(SortKey.asc(ImageField.SIZE)).limit(Integer.MAX_VALUE).build());
    }
    queries.add(CatalogQuery.builder().visibility(VisibilityFilter.COMMUNITY)
        .limit(Integer.MAX_VALUE).build());
    queries.add(CatalogQuery.builder().seesAll(true).addTags("t1").putPropertyFilters("version",
        "3").limit(Integer.MAX_VALUE).build());
    return queries;
  }
}
