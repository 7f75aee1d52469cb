package dev.imagegov.protection;

/** What a caller does to a custom property, as Glance's property protections name it. */
public enum PropertyOperation {
  /** Add a property that the image does not have (on create or by patch). */
  CREATE,
  /** See the property in get and list answers, and filter a list by it. */
  READ,
  /** Change the value of an existing property. */
  UPDATE,
  /** Remove an existing property. */
  DELETE
}
