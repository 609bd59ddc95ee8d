// Small conveniences only; every action works without JavaScript.
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) { return; }
  var target = document.getElementById(button.getAttribute('data-copy'));
  if (!target) { return; }
  var label = button.textContent;
  function say(text) {
    button.textContent = text;
    setTimeout(function () { button.textContent = label; }, 2500);
  }
  function selectIt() {
    // no clipboard over plain http on another host: select the text, ready for Ctrl+C
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say('Selected: press Ctrl+C');
  }
  if (!navigator.clipboard) { selectIt(); return; }
  navigator.clipboard.writeText(target.textContent.trim()).then(function () { say('Copied'); }, selectIt);
});
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) { event.preventDefault(); }
});
// A select that narrows another (a tenant, then its destinations) reloads the form with its choices, the narrowed
// one cleared: without JavaScript, the Filter button does the same.
document.addEventListener('change', function (event) {
  var select = event.target.closest('[data-reload-clearing]');
  if (!select || !select.form) { return; }
  var cleared = select.form.elements[select.getAttribute('data-reload-clearing')];
  if (cleared) { cleared.value = ''; }
  select.form.submit();
});
