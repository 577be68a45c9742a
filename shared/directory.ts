// Fixed parts of the directory that the server and the clients both rely on.

/**
 * The department every micro-app's bot user sits in (the server makes it with the first
 * micro-app). Its members are not people: pickers of people leave them out.
 */
export const MICRO_APPS_DEPARTMENT_ID = 'dept-apps'
