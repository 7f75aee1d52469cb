package dev.imagegov.surface;

import static java.util.stream.Collectors.toCollection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The API surface of one library module, read by reflection from the module's build output (its
 * classes directory, or its jar once packaged): its packages, its public types and the types its
 * public and protected signatures name.
 *
 * <p>An API package is every package of the module except {@code internal} ones (a package with
 * an {@code internal} segment). A leak is a public or protected signature of a public type in an
 * API package (supertype, field, constructor, method: return, parameter, exception and bound
 * types) that names a type from an {@code internal} package, a generated {@code Immutable*} type or
 * a type an application cannot name (not public); or a generated type that is itself public.
 */
final class ModuleSurface {
  private static final Pattern GENERATED = Pattern.compile("Immutable[A-Z]\\w*");

  private final String module;
  private final List<Class<?>> classes;

  private ModuleSurface(String module, List<Class<?>> classes) {
    this.module = module;
    this.classes = classes;
  }

  /** The surface of the module whose output holds {@code anchor}. */
  static ModuleSurface of(String module, Class<?> anchor) {
    Path location;
    try {
      location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : classNames(location)) {
      try {
        classes.add(Class.forName(name, false, anchor.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(name + " listed in " + location + " cannot be loaded", e);
      }
    }
    return new ModuleSurface(module, classes);
  }

  /** The surface made of {@code classes} (for the checker's own tests). */
  static ModuleSurface of(String module, List<Class<?>> classes) {
    return new ModuleSurface(module, List.copyOf(classes));
  }

  String module() {
    return module;
  }

  /** The module's packages that are not internal, sorted. */
  SortedSet<String> apiPackages() {
    return classes.stream()
        .map(Class::getPackageName)
        .filter(p -> !isInternal(p))
        .collect(toCollection(TreeSet::new));
  }

  /** The canonical names of the public types (nested ones included) of the API packages. */
  SortedSet<String> publicTypes() {
    return apiTypes().map(Class::getCanonicalName).collect(toCollection(TreeSet::new));
  }

  /** Every leak, as {@code member -> named type (why)}, sorted. */
  SortedSet<String> leaks() {
    SortedSet<String> leaks = new TreeSet<>();
    apiTypes().forEach(type -> {
      String owner = type.getCanonicalName();
      if (isGenerated(type)) {
        leaks.add(owner + " -> " + owner + " (a generated type is public)");
      }
      Class<?> superclass = type.getSuperclass();
      if (superclass != null && !isSanctionedBuilder(type)) {
        if (!effectivelyPublic(superclass)
            && superclass.getPackageName().equals(type.getPackageName())
            && "not public".equals(why(superclass))) {
          // Guava's shim pattern (a package-private superclass in the same package, like the
          // model's TextId): callers reach its public members through this type only, and they
          // are checked below as this type's methods; its type arguments are still checked.
          if (type.getGenericSuperclass() instanceof ParameterizedType p) {
            check(leaks, owner + " extends", p.getActualTypeArguments());
          }
        } else {
          check(leaks, owner + " extends", type.getGenericSuperclass());
        }
      }
      for (Type i : type.getGenericInterfaces()) {
        check(leaks, owner + " implements", i);
      }
      for (TypeVariable<?> v : type.getTypeParameters()) {
        check(leaks, owner + "<" + v.getName() + ">", v.getBounds());
      }
      for (Field f : type.getDeclaredFields()) {
        if (visible(f.getModifiers()) && !f.isSynthetic()) {
          check(leaks, owner + "." + f.getName(), f.getGenericType());
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c.getModifiers()) && !c.isSynthetic()) {
          checkExecutable(leaks, owner + ".<init>", c);
        }
      }
      Set<Method> methods = new HashSet<>(List.of(type.getMethods()));
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isProtected(m.getModifiers())) {
          methods.add(m);
        }
      }
      for (Method m : methods) {
        if (m.isSynthetic() || m.isBridge() || m.getDeclaringClass() == Object.class) {
          continue;
        }
        String member = owner + "." + m.getName();
        check(leaks, member + " returns", m.getGenericReturnType());
        checkExecutable(leaks, member, m);
      }
    });
    return leaks;
  }

  private Stream<Class<?>> apiTypes() {
    return classes.stream()
        .filter(c -> !isInternal(c.getPackageName()))
        .filter(ModuleSurface::effectivelyPublic)
        .filter(c -> !c.isSynthetic() && !c.isAnonymousClass() && !c.isLocalClass());
  }

  private static void checkExecutable(Set<String> leaks, String member, Executable e) {
    check(leaks, member + " takes", e.getGenericParameterTypes());
    check(leaks, member + " throws", e.getGenericExceptionTypes());
    for (TypeVariable<?> v : e.getTypeParameters()) {
      check(leaks, member + "<" + v.getName() + ">", v.getBounds());
    }
  }

  private static void check(Set<String> leaks, String where, Type... types) {
    for (Type t : types) {
      for (Class<?> named : named(t, new HashSet<>())) {
        String why = why(named);
        if (why != null) {
          leaks.add(where + " -> " + named.getName().replace('$', '.') + " (" + why + ")");
        }
      }
    }
  }

  /** Why naming {@code type} in a public signature leaks, or null if it does not. */
  private static String why(Class<?> type) {
    if (type.isPrimitive()) {
      return null;
    }
    if (type.getName().startsWith("dev.imagegov.") && isInternal(type.getPackageName())) {
      return "internal";
    }
    if (isGenerated(type)) {
      return "generated";
    }
    if (!effectivelyPublic(type)) {
      return "not public";
    }
    return null;
  }

  private static Set<Class<?>> named(Type t, Set<Type> seen) {
    Set<Class<?>> out = new HashSet<>();
    if (!seen.add(t)) {
      return out;
    }
    if (t instanceof Class<?> c) {
      out.add(c.isArray() ? c.getComponentType() : c);
    } else if (t instanceof ParameterizedType p) {
      out.addAll(named(p.getRawType(), seen));
      for (Type a : p.getActualTypeArguments()) {
        out.addAll(named(a, seen));
      }
    } else if (t instanceof GenericArrayType g) {
      out.addAll(named(g.getGenericComponentType(), seen));
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        out.addAll(named(b, seen));
      }
      for (Type b : w.getLowerBounds()) {
        out.addAll(named(b, seen));
      }
    }
    // A type variable names nothing itself: its bounds are checked where it is declared.
    return out;
  }

  /**
   * Immutables' one sanctioned pattern: the public {@code X.Builder} nested in the abstract value
   * type {@code X} extends the package-private generated {@code ImmutableX.Builder}. No caller can
   * name that superclass, and every method it inherits answers {@code X.Builder} or {@code X}
   * (checked as the builder's own methods).
   */
  private static boolean isSanctionedBuilder(Class<?> type) {
    Class<?> outer = type.getEnclosingClass();
    Class<?> sup = type.getSuperclass();
    return outer != null
        && type.getSimpleName().equals("Builder")
        && sup.getSimpleName().equals("Builder")
        && sup.getEnclosingClass() != null
        && sup.getEnclosingClass().getName().equals(
            outer.getPackageName() + ".Immutable" + outer.getSimpleName())
        && !effectivelyPublic(sup.getEnclosingClass());
  }

  private static boolean isGenerated(Class<?> type) {
    Class<?> top = type;
    while (top.getEnclosingClass() != null) {
      top = top.getEnclosingClass();
    }
    return top.getName().startsWith("dev.imagegov.")
        && GENERATED.matcher(top.getSimpleName()).matches();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static boolean effectivelyPublic(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  static boolean isInternal(String packageName) {
    return Pattern.compile("(^|\\.)internal(\\.|$)").matcher(packageName).find();
  }

  private static List<String> classNames(Path location) {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        files.filter(f -> f.toString().endsWith(".class"))
            .map(f -> location.relativize(f).toString().replace(location.getFileSystem()
                .getSeparator(), "/"))
            .forEach(f -> addClassName(names, f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          addClassName(names, e.nextElement().getName());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    names.sort(null);
    return names;
  }

  private static void addClassName(List<String> names, String path) {
    if (path.endsWith(".class")
        && !path.startsWith("META-INF/")
        && !path.endsWith("package-info.class")
        && !path.endsWith("module-info.class")) {
      names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
  }
}
