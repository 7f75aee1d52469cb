package dev.imagegov;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CompareAndSetResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A catalog that forwards every call to another; a test overrides the calls it makes faulty. */
class ForwardingCatalog implements Catalog {
  final Catalog delegate;

  ForwardingCatalog(Catalog delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<Image> find(ImageId id) {
    return delegate.find(id);
  }

  @Override
  public Optional<Tombstone> tombstone(ImageId id) {
    return delegate.tombstone(id);
  }

  @Override
  public Image insert(Image image) {
    return delegate.insert(image);
  }

  @Override
  public CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
    return delegate.compareAndSet(expectedVersion, replacement);
  }

  @Override
  public Tombstone delete(ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
    return delegate.delete(id, expectedVersion, finalStatus, at);
  }

  @Override
  public Image undelete(ImageId id, Instant at) {
    return delegate.undelete(id, at);
  }

  @Override
  public Tombstone finishDeletion(ImageId id) {
    return delegate.finishDeletion(id);
  }

  @Override
  public List<ImageId> pendingDeletes() {
    return delegate.pendingDeletes();
  }

  @Override
  public List<Image> query(CatalogQuery query) {
    return delegate.query(query);
  }

  @Override
  public long size() {
    return delegate.size();
  }

  @Override
  public void forEach(Consumer<Image> action) {
    delegate.forEach(action);
  }
}
