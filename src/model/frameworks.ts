// A compliance framework as the catalogue lists it and the reports show it.

export interface FrameworkControlInfo {
  id: string;
  title: string;
}

export interface FrameworkInfo {
  /** Matches CheckMetadata.frameworks[].framework, e.g. "nist-800-53-r5". */
  id: string;
  name: string;
  version: string;
  controls: FrameworkControlInfo[];
}
