/**
 * OHIF viewer configuration served by the Krypton api (same origin as DICOMweb, so no CORS).
 * The viewer's requests carry the user's token in the `krypton_token` cookie (read-only requests).
 */
window.config = {
  routerBasename: '/',
  extensions: [],
  modes: [],
  showStudyList: true,
  maxNumberOfWebWorkers: 2,
  showWarningMessageForCrossOrigin: false,
  showCPUFallbackMessage: false,
  showLoadingIndicator: true,
  strictZSpacingForVolumeViewport: true,
  defaultDataSourceName: 'krypton',
  dataSources: [
    {
      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
      sourceName: 'krypton',
      configuration: {
        friendlyName: 'Krypton hub',
        name: 'krypton',
        wadoUriRoot: window.location.origin + '/dicomweb',
        qidoRoot: window.location.origin + '/dicomweb',
        wadoRoot: window.location.origin + '/dicomweb',
        qidoSupportsIncludeField: true,
        supportsReject: false,
        imageRendering: 'wadors',
        thumbnailRendering: 'wadors',
        enableStudyLazyLoad: true,
        supportsFuzzyMatching: false,
        supportsWildcard: true,
        staticWado: false,
        singlepart: 'bulkdata,video',
        bulkDataURI: { enabled: true },
        omitQuotationForMultipartRequest: true,
      },
    },
  ],
  // No guided tour (OHIF's Shepherd onboarding): in the console it opens in the viewer framed beside
  // the report editor, and its dialog focuses itself again and again (on each step it shows, 300 ms
  // after), taking a radiologist's keystrokes from the report into the viewer, whose hotkeys act
  // on the images.
  customizationService: {
    'ohif.tours': { $set: [] },
  },
};
