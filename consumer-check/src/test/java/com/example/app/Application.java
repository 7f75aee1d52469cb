package com.example.app;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.Caller;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.model.Image;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A sample application of imagegov, as a user writes one: it touches the public API of core,
 * both stores and the model. The consumer check compiles this file against the application's
 * class path with {@code -Xlint:all -Werror} and runs it in a fresh JVM; its output is one line
 * per check, {@code ok ...}.
 */
public final class Application {
  private Application() {}

  /**
   * Runs the sample on the memory stores and on the file stores in a fresh temporary directory.
   *
   * @param args ignored
   * @throws IOException if the temporary directory cannot be made
   */
  public static void main(String[] args) throws IOException {
    List<GovernanceEvent> events = new ArrayList<>();
    ImageGovernance memory =
        ImageGovernance.builder()
            .catalog(new MemoryCatalog())
            .blobStore(MemoryBlobStore.create("fast"))
            .config(GovernanceConfig.builder().imageMemberQuota(10).build())
            .listener(events::add)
            .build();
    story(memory, "memory");
    System.out.println("ok events " + (events.isEmpty() ? "none" : "delivered"));

    Path dir = Files.createTempDirectory("imagegov-application");
    try (FileCatalog catalog = FileCatalog.open(dir.resolve("catalog"));
        FileBlobStore blobs = FileBlobStore.open(StoreId.of("disk"), dir.resolve("blobs"))) {
      story(ImageGovernance.builder().catalog(catalog).blobStore(blobs).build(), "file");
    }
  }

  private static void story(ImageGovernance governance, String stores) throws IOException {
    Caller producer = Caller.member("producer");
    Caller consumer = Caller.member("consumer");
    Caller outsider = Caller.member("outsider");

    Image golden =
        governance
            .images()
            .create(
                producer,
                NewImage.builder()
                    .name("golden")
                    .diskFormat("raw")
                    .containerFormat("bare")
                    .build());
    byte[] data = "not really a disk".getBytes(StandardCharsets.US_ASCII);
    governance
        .data()
        .upload(producer, golden.id(), new ByteArrayInputStream(data), OptionalLong.of(data.length));
    governance.sharing().addMember(producer, golden.id(), "consumer");
    governance.sharing().updateMemberStatus(
        consumer, golden.id(), ProjectId.of("consumer"), MemberStatus.ACCEPTED);
    governance.images().update(producer, golden.id(), ImagePatch.builder().setName("gold").build());

    List<Image> seen = governance.images().list(consumer, ListRequest.parse("sort=name:asc")).images();
    try (ImageDownload download = governance.data().download(consumer, golden.id());
        InputStream in = download.stream()) {
      System.out.println("ok " + stores + " lists " + seen.size() + " and reads "
          + in.readAllBytes().length + " bytes");
    }
    try {
      governance.images().get(outsider, golden.id());
      System.out.println("FAILED " + stores + " outsider got the image");
    } catch (GovernanceException e) {
      System.out.println("ok " + stores + " outsider " + e.httpStatus());
    }
    AccessExplanation why = governance.access().explain(outsider, golden.id(), Action.GET);
    System.out.println("ok " + stores + " explain allowed=" + why.allowed());
  }
}
